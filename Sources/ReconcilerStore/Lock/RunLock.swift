internal import Glibc

/// One run at a time on a host, across processes: an exclusive flock(2) on
/// `<stateDirectory>/run.lock`, held for the life of this object.
///
/// flock and not fcntl locks: an fcntl lock is dropped when the process closes *any*
/// descriptor of the file, and belongs to the process, so two opens in one process would
/// not conflict. A flock lock belongs to the open file description: a second `RunLock` in
/// the same process conflicts like another process would, and the kernel releases the
/// lock when the holder dies, however it dies, so no stale lock is ever left behind.
public final class RunLock: Sendable {
    /// The file name of the lock inside the state directory.
    public static let fileName = "run.lock"

    /// The lock file.
    public let path: String
    private let descriptor: Int32

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
        let descriptor: Int32
        do {
            try StateDirectory.create(stateDirectory)
            // Close-on-exec: a child (podman, a git helper) that inherited the descriptor
            // would share the lock and keep it held after this process died.
            descriptor = try StateDirectory.openFile(path, operation: "open the run lock")
        } catch {
            throw RunLockError(
                path: error.path,
                reason: .system(operation: error.operation, errno: error.code, message: error.message)
            )
        }
        do {
            try Self.lock(descriptor, path: path, wait: wait, timeout: timeout)
        } catch {
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        Self.writePID(descriptor)
    }

    deinit {
        // Closing the only descriptor of the open file description releases the lock.
        close(descriptor)
    }

    private static func lock(_ descriptor: Int32, path: String, wait: Bool, timeout: Double?) throws(RunLockError) {
        if wait, timeout == nil {
            while flock(descriptor, LOCK_EX) != 0 {
                if errno != EINTR { throw failure("lock", path) }
            }
            return
        }
        // A bounded wait polls: flock(2) itself has no timeout, and a SIGALRM to break a
        // blocking call would reach whatever else this process is doing.
        let deadline = monotonicSeconds() + (wait ? timeout ?? 0 : 0)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            guard errno == EWOULDBLOCK else { throw failure("lock", path) }
            if !wait {
                throw RunLockError(path: path, reason: .held(pid: readPID(descriptor)))
            }
            if monotonicSeconds() >= deadline {
                throw RunLockError(path: path, reason: .timedOut(seconds: timeout ?? 0, pid: readPID(descriptor)))
            }
            usleep(20_000)
        }
    }

    /// Leaves this process's pid in the file so that a refused run can say who holds the
    /// lock. Best effort: the lock works without it.
    private static func writePID(_ descriptor: Int32) {
        let text = Array("\(getpid())\n".utf8)
        // Write over the old pid, then cut what is left of it: a reader never sees an
        // empty file, only the old pid or the new one.
        let written = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        if written == text.count { _ = ftruncate(descriptor, off_t(text.count)) }
    }

    /// The pid the current holder wrote, if it wrote one.
    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return Int32(text.prefix { $0 != "\n" })
    }

    private static func failure(_ operation: String, _ path: String) -> RunLockError {
        let code = errno
        return RunLockError(
            path: path,
            reason: .system(operation: operation, errno: code, message: String(cString: strerror(code)))
        )
    }

    private static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
