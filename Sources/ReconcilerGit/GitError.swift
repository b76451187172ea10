internal import CGit2

/// A failed libgit2 call: which operation, libgit2's return code and its own message.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// The operation that failed, in words, e.g. "open repository at /srv/repo".
    public var operation: String
    /// libgit2's return code (a negative `git_error_code`).
    public var code: Int32
    /// libgit2's error class (`git_error_t`), 0 when libgit2 set none.
    public var errorClass: Int32
    /// libgit2's message for the failure.
    public var message: String

    public init(operation: String, code: Int32, errorClass: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.errorClass = errorClass
        self.message = message
    }

    /// True when libgit2 reported that the object or reference does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    public var description: String { "\(operation): \(message)" }

    /// True when libgit2 or a credential callback refused the credentials (`GIT_EAUTH`).
    var isAuthenticationFailure: Bool { code == GIT_EAUTH.rawValue }
    /// True when a certificate or SSH host key was rejected (`GIT_ECERTIFICATE`).
    var isCertificateFailure: Bool { code == GIT_ECERTIFICATE.rawValue }
    /// True when the error came from libssh2 (`GIT_ERROR_SSH`).
    var isFromSSH: Bool { errorClass == Int32(GIT_ERROR_SSH.rawValue) }

    /// An object that should be in the object database is not: not found, in the database's class.
    static func missingObject(operation: String, message: String) -> GitError {
        GitError(
            operation: operation, code: GIT_ENOTFOUND.rawValue, errorClass: Int32(GIT_ERROR_ODB.rawValue),
            message: message)
    }

    /// Captures libgit2's thread-local last error right after a failing call.
    static func last(_ code: Int32, operation: String) -> GitError {
        var message = "libgit2 error \(code)"
        var errorClass: Int32 = 0
        if let last = git_error_last() {
            errorClass = last.pointee.klass
            if let text = last.pointee.message {
                message = String(cString: text).trimmingSuffix("\n")
            }
        }
        return GitError(operation: operation, code: code, errorClass: errorClass, message: message)
    }
}

/// Runs a libgit2 call and turns a negative return code into a `GitError`.
@discardableResult
func check(_ operation: @autoclosure () -> String, _ call: () -> Int32) throws(GitError) -> Int32 {
    let code = call()
    if code < 0 { throw GitError.last(code, operation: operation()) }
    return code
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
