import ReconcilerCore

/// Why the git source could not give a commit to apply. The host stays on its last good
/// commit; `isRetryable` says whether trying again later can help without a person.
public struct SourceError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The server was not reached (refused, DNS, no route, no such path).
        case unreachable
        /// A network operation passed its deadline (a silent or very slow server).
        case timedOut
        /// The server refused the credentials, or none were configured.
        case authentication
        /// The SSH host key or TLS certificate is not trusted.
        case certificate
        /// The tracked branch or tag is not on the remote, or the pinned commit is not reachable.
        case referenceMissing
        /// The branch was rewritten (or went back to an older commit) and rewinds are refused:
        /// `requireFastForward` is set, or a signature policy is set and it is not `false`.
        case historyRewritten
        /// The local mirror is damaged and could not be repaired by cloning again.
        case mirrorDamaged
        /// The commit's tree passes a `TreeLimits` bound (a huge file, too deep, too many entries).
        case commitTooLarge
        /// The commit's signature is missing or not from an allowed signer.
        case signatureRefused
        /// The server answered with an error (missing repository, missing object...).
        case remote
        /// The configuration is wrong: bad URL, unreadable credential file.
        case configuration
        /// The network helper process crashed.
        case helperFailed
    }

    public var kind: Kind
    /// What failed, where, and what to do; never contains a secret.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Faults of the network or the server pass on their own; a wrong configuration,
    /// a rewritten history or a refused signature need a person.
    public var isRetryable: Bool {
        switch kind {
        case .unreachable, .timedOut, .remote, .mirrorDamaged, .helperFailed, .referenceMissing: true
        case .authentication, .certificate, .historyRewritten, .signatureRefused, .configuration, .commitTooLarge:
            false
        }
    }

    public var description: String { message }
}
