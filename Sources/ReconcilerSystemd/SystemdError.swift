internal import CSystemd
internal import Glibc

/// A failed sd-bus or sd-journal call: the operation, the errno it returned and, for
/// D-Bus method calls, the error name and message the other side sent.
public struct SystemdError: Error, Sendable, CustomStringConvertible {
    /// The operation that failed, in words, e.g. "connect to the system bus".
    public var operation: String
    /// The positive errno value (sd-bus returns it negated).
    public var errno: Int32
    /// The D-Bus error name, e.g. "org.freedesktop.systemd1.NoSuchUnit", when there is one.
    public var name: String?
    /// The D-Bus error message or, without one, the errno's text.
    public var message: String
    /// What a person can do about it, when we know.
    public var hint: String?
    /// For a unit that failed to start: its `Result` property (`exit-code`, `timeout`, ...).
    public var unitResult: String? = nil
    /// For a unit that failed to start: the last lines it (and systemd about it) logged, which
    /// usually say why.
    public var log: [String] = []

    public init(operation: String, errno: Int32, name: String? = nil, message: String, hint: String? = nil) {
        self.operation = operation
        self.errno = errno
        self.name = name
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = "\(operation): \(message)"
        if let name { text += " (\(name))" }
        if let hint { text += "; \(hint)" }
        if !log.isEmpty { text += "\nits last log lines:\n" + log.map { "  " + $0 }.joined(separator: "\n") }
        return text
    }

    /// Builds the error for a negative sd-* return code, taking name and message from
    /// `busError` when the call filled it in.
    static func from(_ code: Int32, operation: String, busError: UnsafePointer<sd_bus_error>? = nil) -> SystemdError {
        let errnoValue = -code
        var name: String?
        var message = String(cString: strerror(errnoValue))
        if let busError, busError.pointee.name != nil {
            name = busError.pointee.name.map { String(cString: $0) }
            if let text = busError.pointee.message {
                message = String(cString: text)
            }
        }
        return SystemdError(operation: operation, errno: errnoValue, name: name, message: message)
    }
}

/// Runs an sd-* call and turns a negative return code into a `SystemdError`.
@discardableResult
func check(_ operation: @autoclosure () -> String, _ call: () -> Int32) throws(SystemdError) -> Int32 {
    let code = call()
    if code < 0 { throw SystemdError.from(code, operation: operation()) }
    return code
}
