import Foundation

/// An exclusive flock(2) on a file, held for the life of this object.
///
/// flock and not fcntl locks: an fcntl lock is dropped when the process closes *any*
/// descriptor of the file, and belongs to the process, so two opens in one process would
/// not conflict. A flock lock belongs to the open file description: a second `FileLock` in
/// the same process conflicts like another process would, and the kernel releases the
/// lock when the holder dies, however it dies, so no stale lock is ever left behind.
public final class FileLock: Sendable {
    /// Why the lock could not be taken.
    public enum Failure: Error, Sendable, Equatable {
        /// Another holder has it and the caller chose not to wait.
        case held(pid: Int32?)
        /// Another holder kept it for the whole of the caller's timeout.
        case timedOut(seconds: Double, pid: Int32?)
        /// A system call failed.
        case system(POSIXFailure)
    }

    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Takes the lock, creating the file (mode `mode`) if needed.
    /// - Parameters:
    ///   - wait: whether to wait while another holder has the lock.
    ///   - timeout: when waiting, the most seconds to wait; nil waits as long as it takes.
    ///   - recordPID: leave this process's pid in the file, so a refused caller can say who
    ///     holds the lock.
    public init(
        path: String, wait: Bool, timeout: Double? = nil, mode: UInt32 = 0o600, recordPID: Bool = true
    ) throws(Failure) {
        self.path = path
        // Close-on-exec: a child (podman, a git helper) that inherited the descriptor would
        // share the lock and keep it held after this process died.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .system(POSIXFailure("open the lock file \(path)")) }
        do {
            try Self.lock(descriptor, path: path, wait: wait, timeout: timeout)
        } catch {
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        if recordPID { Self.writePID(descriptor) }
    }

    deinit {
        // Closing the only descriptor of the open file description releases the lock.
        close(descriptor)
    }

    private static func lock(_ descriptor: Int32, path: String, wait: Bool, timeout: Double?) throws(Failure) {
        if wait, timeout == nil {
            while flock(descriptor, LOCK_EX) != 0 {
                if errno != EINTR { throw .system(POSIXFailure("lock \(path)")) }
            }
            return
        }
        // A bounded wait polls: flock(2) itself has no timeout, and a SIGALRM to break a
        // blocking call would reach whatever else this process is doing.
        let deadline = monotonicSeconds() + (wait ? timeout ?? 0 : 0)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            guard errno == EWOULDBLOCK else { throw .system(POSIXFailure("lock \(path)")) }
            if !wait { throw .held(pid: readPID(descriptor)) }
            if monotonicSeconds() >= deadline { throw .timedOut(seconds: timeout ?? 0, pid: readPID(descriptor)) }
            usleep(20_000)
        }
    }

    /// Best effort: the lock works without it.
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

    private static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
