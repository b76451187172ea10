internal import CGit2

/// The signature formats git writes into a commit's `gpgsig` header.
public enum SignatureKind: String, Sendable, Equatable, CustomStringConvertible {
    /// `git -c gpg.format=ssh commit -S`: an SSHSIG block, checked with `ssh-keygen -Y`.
    case ssh
    /// `git commit -S` with gpg: an OpenPGP detached signature, checked with `gpgv`.
    case openpgp

    public var description: String {
        switch self {
        case .ssh: "SSH"
        case .openpgp: "OpenPGP"
        }
    }

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
        try withCommit(at: revision) { (commit, commitID) throws(GitError) -> CommitSignature? in
            var signature = git_buf()
            var signedData = git_buf()
            defer {
                git_buf_dispose(&signature)
                git_buf_dispose(&signedData)
            }
            var id = git_commit_id(commit).pointee
            // A nil field means "gpgsig", which holds OpenPGP and SSH signatures alike.
            let code = git_commit_extract_signature(&signature, &signedData, handle, &id, nil)
            if code == GIT_ENOTFOUND.rawValue { return nil }
            if code < 0 { throw GitError.last(code, operation: "read the signature of commit \(commitID)") }
            let armor = Self.bytes(of: signature)
            return CommitSignature(
                commit: commitID,
                kind: SignatureKind(armor: armor),
                signature: armor,
                signedData: Self.bytes(of: signedData),
                committedAt: git_commit_committer(commit)?.pointee.when.time ?? 0
            )
        }
    }

    private static func bytes(of buffer: git_buf) -> [UInt8] {
        guard let pointer = buffer.ptr, buffer.size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: buffer.size))
    }
}
