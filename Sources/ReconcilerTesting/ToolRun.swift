import Foundation
import ReconcilerPOSIX

/// A program run to completion by a test, its output captured through files.
///
/// Through posix_spawn (ReconcilerPOSIX.ChildProcess), not Foundation's `Process`: on this
/// toolchain `Process.run()` can crash the whole test process when it over-reads an entry
/// of /proc/self/fd, which happens more often the more tests run side by side.
public struct ToolRun: Sendable, CustomStringConvertible {
    /// The exit status; 128 + the signal for a killed program; -1 when it timed out.
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    public var timedOut: Bool

    public var description: String { "exit \(status)\nstdout: \(standardOutput)\nstderr: \(standardError)" }

    /// Runs `executable` with the test's environment (plus `environment`), `input` on stdin.
    /// - Throws: when the program cannot be started at all.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
        timeout: Double = 300
    ) throws -> ToolRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inputPath = directory + "/in"
        try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: inputPath))
        let termination = try ChildProcess.run(
            executable, arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
            standardInput: inputPath, standardOutput: directory + "/out", standardError: directory + "/err",
            timeout: timeout)
        let read = { (name: String) in
            String(
                decoding: (try? Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))) ?? Data(), as: UTF8.self
            )
        }
        let status: Int32 =
            switch termination {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            case .timedOut: -1
            }
        return ToolRun(
            status: status, standardOutput: read("out"), standardError: read("err"),
            timedOut: termination == .timedOut)
    }
}
