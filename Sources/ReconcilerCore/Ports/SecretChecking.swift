/// Whether this host can decrypt the secrets a commit gives it, asked before anything changes:
/// a commit whose units could not decrypt their secrets at start is refused instead.
public protocol SecretChecking: Sendable {
    /// The age identity at `path` exists and only its owner can read it.
    func checkIdentity(at path: String) throws(SecretCheckFailure)
    /// `secret` decrypts with the identity at `identity`. The clear text is thrown away unread.
    func check(_ secret: SecretFile, identity: String) throws(SecretCheckFailure)
    /// The env file at `path`, which an operator places on the host (`envFiles:`), is there
    /// and readable: without it the container could not start.
    func checkEnvironmentFile(at path: String) throws(SecretCheckFailure)
}

extension SecretChecking {
    /// Engines that cannot look at the host's files (fakes) take env files on trust.
    public func checkEnvironmentFile(at path: String) throws(SecretCheckFailure) {}
}

/// Why a secret cannot be used on this host, for people: what, where, what to do.
public struct SecretCheckFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// For an engine built without a way to check secrets: every commit with a secret is refused.
public struct NoSecretChecking: SecretChecking {
    public init() {}

    public func checkIdentity(at path: String) throws(SecretCheckFailure) {
        throw SecretCheckFailure("this agent was built without secret support")
    }

    public func check(_ secret: SecretFile, identity: String) throws(SecretCheckFailure) {
        throw SecretCheckFailure("this agent was built without secret support")
    }
}
