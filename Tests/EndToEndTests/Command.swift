import Foundation
import ReconcilerTesting

/// Result of running a program to completion.
struct CommandResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

enum Command {
    /// Runs `executable` with `arguments`, waiting at most `timeout` seconds, and returns
    /// its exit status and output (through files, so a large output cannot fill a pipe).
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 300) throws -> CommandResult {
        let run = try ToolRun.run(executable, arguments, timeout: timeout)
        let stderr = run.timedOut ? run.standardError + "\n[timed out after \(Int(timeout)) s]" : run.standardError
        return CommandResult(status: run.status, stdout: run.standardOutput, stderr: stderr)
    }
}
