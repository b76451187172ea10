import Foundation
import ReconcilerPOSIX

/// One run of `ssh-keygen` or `gpgv`: exit status and what it printed.
struct ToolOutput {
    var status: Int32
    var standardOutput: String
    var standardError: String

    /// Both outputs, trimmed, for messages.
    var text: String {
        [standardOutput, standardError].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }
}

/// A verification tool at an absolute path, run with a clean environment and a time limit.
///
/// Outputs go to files rather than pipes, so a chatty child can never block on a full pipe
/// while we wait for it; the time limit covers a tool stuck on a lock or a terminal.
struct SignatureTool {
    var name: String
    var path: String
    /// A hung tool is killed after this long; the verification then fails and is retried next time.
    static let timeLimit: Double = 10

    /// Finds `name` on PATH (then /usr/bin and /bin), as an absolute path.
    static func locate(_ name: String, package: String) -> Result<SignatureTool, ToolProblem> {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = searchPath.split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
        for directory in directories + ["/usr/bin", "/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return .success(SignatureTool(name: name, path: candidate))
            }
        }
        return .failure(
            ToolProblem(
                tool: name, detail: "not found on PATH (\(searchPath)) or in /usr/bin; install the \(package) package"))
    }

    /// Runs the tool with `input` (a file) as standard input; its files go in `workspace`.
    /// - Parameter environment: Added to a minimal environment (PATH, LC_ALL=C, HOME=workspace),
    ///   so the user's configuration and locale never change what the tool does or prints.
    func run(
        _ arguments: [String], input: String? = nil, in workspace: String, environment: [String: String] = [:]
    ) -> Result<ToolOutput, ToolProblem> {
        let label = "\(name)-\(UUID().uuidString.prefix(8))"
        let outputPath = "\(workspace)/\(label).out"
        let errorPath = "\(workspace)/\(label).err"
        let environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": workspace]
            .merging(environment) { _, new in new }
        // posix_spawn, not Foundation's Process: on this toolchain Process.run() can crash
        // reading /proc/self/fd (an over-read of each directory entry).
        let termination: ChildProcess.Termination
        do {
            termination = try ChildProcess.run(
                path, arguments, environment: environment, standardInput: input ?? "/dev/null",
                standardOutput: outputPath, standardError: errorPath, timeout: Self.timeLimit)
        } catch {
            return .failure(ToolProblem(tool: name, detail: "cannot start \(path): \(error)"))
        }
        let read = { (file: String) in
            (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        }
        switch termination {
        case .exited(let status):
            return .success(
                ToolOutput(status: status, standardOutput: read(outputPath), standardError: read(errorPath)))
        case .signaled(let signal):
            return .failure(ToolProblem(tool: name, detail: "killed by signal \(signal)"))
        case .timedOut:
            return .failure(ToolProblem(tool: name, detail: "no answer within \(Int(Self.timeLimit)) s, killed"))
        }
    }
}

/// A tool that is missing, did not start, or did not finish.
struct ToolProblem: Error {
    var tool: String
    var detail: String
}
