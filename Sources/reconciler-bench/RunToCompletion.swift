import ReconcilerPOSIX

/// Runs a command to completion through the same posix_spawn helper the agent starts its
/// network helper with, so the peers are timed the way the agent's own child is.
func runToCompletion(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> Int32 {
    let termination = try ChildProcess.run(
        executable, arguments, environment: environment, standardOutput: "/dev/null", standardError: nil,
        timeout: 600)
    guard case .exited(let status) = termination else { return -1 }
    return status
}
