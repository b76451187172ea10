import Foundation
public import ReconcilerCore
import ReconcilerPOSIX

/// Checks unit files with `systemd-analyze verify` before anything is written.
///
/// The files go to a fresh temporary directory, so units of one batch can refer to each
/// other (verify adds the files' directory to the unit search path) and nothing of the
/// host's /etc/systemd/system is touched. verify needs no running systemd, but it does
/// check that every ExecStart= executable exists on the machine it runs on.
public enum UnitVerifier {
    public static let defaultExecutable = "/usr/bin/systemd-analyze"

    /// Verifies `units` together and returns what systemd-analyze says about them, errors
    /// (which must block a deploy) and warnings; see `UnitVerifierOutput` for which is which.
    /// - Parameter timeout: seconds before systemd-analyze is killed.
    /// - Throws: `UnitVerifierError` when a unit name cannot be a file name or systemd-analyze
    ///   gives no usable answer (missing, killed, timed out, or failed without naming a unit).
    public static func verify(
        units: [(name: String, contents: String)], executable: String = defaultExecutable, timeout: Double = 30
    ) throws(UnitVerifierError) -> [UnitProblem] {
        let names = units.map(\.name)
        guard !units.isEmpty else { return [] }
        for name in names where name.isEmpty || name.contains("/") || name.hasPrefix(".") {
            throw UnitVerifierError(operation: "verify units", message: "'\(name)' is not a unit name")
        }
        let operation = "verify \(names.joined(separator: " ")) with systemd-analyze"
        let directory = try makeDirectory(operation: operation)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let work = "\(directory)/units"
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: false)
            for unit in units {
                try Data(unit.contents.utf8).write(to: URL(fileURLWithPath: "\(work)/\(unit.name)"))
            }
        } catch {
            throw UnitVerifierError(operation: operation, message: "cannot write the units: \(error)")
        }

        let termination: ChildProcess.Termination
        do {
            termination = try ChildProcess.run(
                executable, ["verify", "--man=no"] + names.map { "\(work)/\($0)" },
                environment: [
                    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    // Plain lines on stderr, whatever the caller's own logging setup is.
                    "SYSTEMD_LOG_TARGET": "console", "SYSTEMD_LOG_COLOR": "0", "SYSTEMD_LOG_LOCATION": "0",
                    "SYSTEMD_LOG_TIME": "0", "SYSTEMD_PAGER": "cat", "LC_ALL": "C.UTF-8",
                ],
                standardOutput: "\(directory)/output", standardError: nil, timeout: timeout)
        } catch {
            throw UnitVerifierError(
                operation: operation, message: "cannot start \(executable): \(String(cString: strerror(error.errno)))")
        }
        let output = (try? String(contentsOfFile: "\(directory)/output", encoding: .utf8)) ?? ""
        let tail = output.split(separator: "\n").suffix(20).joined(separator: "\n")
        let problems = UnitVerifierOutput.problems(in: output, units: names, directory: work)
        switch termination {
        case .exited(0):
            return problems
        case .exited(let status):
            // Status 1 also means "a dependency is not installed here"; with no line about
            // our units at all, though, the tool itself failed.
            guard !problems.isEmpty else {
                throw UnitVerifierError(operation: operation, message: "exited with status \(status)", outputTail: tail)
            }
            return problems
        case .signaled(let signal):
            throw UnitVerifierError(operation: operation, message: "killed by signal \(signal)", outputTail: tail)
        case .timedOut:
            throw UnitVerifierError(
                operation: operation, message: "no answer within \(timeout) s; it was killed", outputTail: tail)
        }
    }

    /// Verifies rendered units; see `verify(units:executable:timeout:)`.
    public static func verify(_ units: [RenderedUnit], timeout: Double = 30) throws(UnitVerifierError) -> [UnitProblem]
    {
        try verify(units: units.map { (name: $0.name, contents: $0.contents) }, timeout: timeout)
    }

    private static func makeDirectory(operation: String) throws(UnitVerifierError) -> String {
        do {
            return try PrivateDirectory.make(prefix: "reconciler-verify").path
        } catch {
            throw UnitVerifierError(operation: operation, message: error.description)
        }
    }
}
