public import ReconcilerCore

extension SignatureKind {
    /// The kind a signature block's armor names; nil for other formats (such as X.509).
    init?(armor: [UInt8]) {
        if armor.starts(with: Array("-----BEGIN SSH SIGNATURE-----".utf8)) {
            self = .ssh
        } else if armor.starts(with: Array("-----BEGIN PGP SIGNATURE-----".utf8)) {
            self = .openpgp
        } else {
            return nil
        }
    }
}

/// A commit's signature and the exact bytes it signs, as git splits them.
public struct CommitSignature: Sendable, Equatable {
    /// The full id of the signed commit.
    public var commit: String
    /// The format of `signature`; nil when git holds a format this agent does not check.
    public var kind: SignatureKind?
    /// The armored signature block (the `gpgsig` header without its continuation spaces).
    public var signature: [UInt8]
    /// The raw commit object without the `gpgsig` header: what the signature covers.
    public var signedData: [UInt8]
    /// The committer time (seconds since 1970), at which git checks a key's validity window.
    public var committedAt: Int64
}

extension GitRepository {
    /// The signature of the commit `revision` names, or nil when the commit is unsigned.
    /// - Throws: `GitError` when the revision is not a commit or the commit cannot be read.
    public func commitSignature(of revision: String) throws(GitError) -> CommitSignature? {
        let commit = try commit(at: revision)
        guard let signature = try commit.signature() else { return nil }
        return CommitSignature(
            commit: commit.id,
            kind: SignatureKind(armor: signature.armor),
            signature: signature.armor,
            signedData: signature.signedData,
            committedAt: commit.committedAt
        )
    }
}
