import Foundation

/// A failed system call: what was being done, on which path, and the errno it gave.
public struct POSIXFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done, e.g. "rename /etc/systemd/system/.blog.service.tmp to …".
    public var operation: String
    public var errno: Int32
    /// The file the operator knows, when `operation` names a temporary one beside it.
    public var target: String?

    public init(_ operation: String, errno: Int32, target: String? = nil) {
        self.operation = operation
        self.errno = errno
        self.target = target
    }

    /// The failure of the system call that just returned, from the thread's `errno`.
    public init(_ operation: String, target: String? = nil) {
        self.init(operation, errno: Glibc.errno, target: target)
    }

    /// The system's words for `errno`.
    public var message: String { String(cString: strerror(errno)) }

    /// The file system is full (or the quota used up): nothing to retry until someone frees space.
    public var isDiskFull: Bool { errno == ENOSPC || errno == EDQUOT }

    public var description: String {
        guard isDiskFull else { return "cannot \(operation): \(message)" }
        let what = target.map { "writing \($0)" } ?? "(cannot \(operation))"
        return "\(message.lowercased()) \(what); free space on that file system and run again"
    }
}
