import Foundation

/// A failed system call: what was being done, on which path, and the errno it gave.
public struct POSIXFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done, e.g. "rename /etc/systemd/system/.blog.service.tmp to …".
    public var operation: String
    public var errno: Int32

    public init(_ operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    /// The failure of the system call that just returned, from the thread's `errno`.
    public init(_ operation: String) {
        self.init(operation, errno: Glibc.errno)
    }

    /// The system's words for `errno`.
    public var message: String { String(cString: strerror(errno)) }

    public var description: String { "cannot \(operation): \(message)" }
}
