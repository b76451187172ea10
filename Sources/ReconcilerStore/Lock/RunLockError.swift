/// Why the run lock could not be taken.
public struct RunLockError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Another process holds the lock and the caller chose not to wait.
        case held(pid: Int32?)
        /// Another process held the lock for the whole of the caller's timeout.
        case timedOut(seconds: Double, pid: Int32?)
        /// A system call failed: `operation` in words (with the path) and its `errno`.
        case system(operation: String, errno: Int32, message: String)
    }

    /// The lock file.
    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .held(let pid):
            "another run holds the lock \(path) (\(Self.describe(pid))): wait for it, or run again; "
                + "`reconciler once --wait` waits"
        case .timedOut(let seconds, let pid):
            "gave up after \(seconds) s waiting for the lock \(path): another run still holds it (\(Self.describe(pid)))"
        case .system(let operation, _, let message):
            "cannot \(operation): \(message)"
        }
    }

    /// The pid the holder wrote, or a word that says it did not (e.g. flock(1) holds it).
    private static func describe(_ pid: Int32?) -> String {
        pid.map { "pid \($0)" } ?? "pid unknown"
    }
}
