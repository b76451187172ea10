public import ReconcilerCore
import ReconcilerPOSIX

/// One run at a time on a host, across processes: an exclusive flock(2) on
/// `<stateDirectory>/run.lock`, held for the life of this object (see `FileLock` for why
/// flock, and why no stale lock survives its holder).
public final class RunLock: Sendable {
    /// The file name of the lock inside the state directory.
    public static let fileName = "run.lock"

    /// The lock file.
    public let path: String
    private let lock: FileLock

    /// Takes the lock, creating the state directory (0700) and the lock file (0600) if needed.
    ///
    /// - Parameters:
    ///   - stateDirectory: The directory that holds the lock file.
    ///   - wait: Whether to wait while another run holds the lock.
    ///   - timeout: When waiting, the most seconds to wait; nil waits as long as it takes.
    /// - Throws: `RunLockError`: `.held` at once when `wait` is false and another run holds
    ///   the lock, `.timedOut` when the timeout passed, `.system` when a call failed.
    public init(stateDirectory: String, wait: Bool, timeout: Double? = nil) throws(RunLockError) {
        let path = stateDirectory + "/" + Self.fileName
        self.path = path
        do {
            try StateDirectory.create(stateDirectory)
        } catch {
            throw RunLockError(
                path: path,
                reason: .system(
                    operation: "\(error.operation) \(error.path)", errno: error.code, message: error.message))
        }
        do {
            lock = try FileLock(path: path, wait: wait, timeout: timeout)
        } catch {
            switch error {
            case .held(let pid): throw RunLockError(path: path, reason: .held(pid: pid))
            case .timedOut(let seconds, let pid):
                throw RunLockError(path: path, reason: .timedOut(seconds: seconds, pid: pid))
            case .system(let failure):
                throw RunLockError(
                    path: path,
                    reason: .system(operation: failure.operation, errno: failure.errno, message: failure.message))
            }
        }
    }
}

/// The run lock as the engine's port: `<stateDirectory>/run.lock`.
public struct StateDirectoryLock: RunLocking {
    public var stateDirectory: String

    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    public func acquire(wait: Bool) throws -> AnyObject {
        try RunLock(stateDirectory: stateDirectory, wait: wait)
    }
}
