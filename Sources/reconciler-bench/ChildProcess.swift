import Foundation

/// Runs a command to completion, woken by its termination handler as the agent's helper is,
/// not by `waitUntilExit` (which polls every 50 ms and would inflate the peers' numbers).
func runToCompletion(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Int32
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    done.wait()
    return process.terminationStatus
}
