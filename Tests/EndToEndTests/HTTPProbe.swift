import Foundation

/// Polls a URL with curl from this machine until it answers 200 or time runs out.
enum HTTPProbe {
    /// Returns the body of the first 200 response, or nil after `timeout` seconds.
    static func waitForOK(_ url: String, timeout: TimeInterval = 60) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let result = try Command.run(
                "/usr/bin/curl", ["-sS", "-f", "--max-time", "3", "--noproxy", "*", url], timeout: 10)
            if result.status == 0 { return result.stdout }
            usleep(250_000)
        } while Date() < deadline
        return nil
    }
}
