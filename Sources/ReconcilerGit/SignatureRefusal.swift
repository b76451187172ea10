public import ReconcilerCore

/// Why a commit's signature was not accepted. Every message names the commit and, when known,
/// the signer or key, and says what to do: the host stays on its last accepted commit meanwhile.
public enum SignatureRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The commit carries no signature.
    case unsigned(commit: String)
    /// A signature that does not verify, or a key outside its validity (expired, revoked, not yet valid).
    case badSignature(commit: String, signer: String?, detail: String)
    /// Signed by a key that is not in the allowed signers file or the keyring.
    case unknownKey(commit: String, key: String)
    /// An SSH signature where OpenPGP is required, or the other way round; `found` is nil for other formats.
    case wrongKind(commit: String, expected: SignatureKind, found: SignatureKind?)
    /// The policy's allowed signers file or keyring cannot be used.
    case unusablePolicy(commit: String, path: String, detail: String)
    /// ssh-keygen, gpgv or the temporary files for them failed, so nothing could be decided.
    case toolFailed(commit: String, tool: String, detail: String)
    /// The commit or its signature could not be read from the repository.
    case unreadable(commit: String, detail: String)

    /// The commit the refusal is about.
    public var commit: String {
        switch self {
        case .unsigned(let commit), .badSignature(let commit, _, _), .unknownKey(let commit, _),
            .wrongKind(let commit, _, _), .unusablePolicy(let commit, _, _), .toolFailed(let commit, _, _),
            .unreadable(let commit, _):
            commit
        }
    }

    public var description: String {
        switch self {
        case .unsigned(let commit):
            "commit \(commit) is not signed, but a signature policy is set;"
                + " sign it with an allowed key (git commit -S) and push it"
        case .badSignature(let commit, let signer?, let detail):
            "the signature of commit \(commit) by \(signer) is not valid: \(detail);"
                + " the commit may have been changed after signing or the key is not valid at the commit time:"
                + " sign it again with a valid allowed key"
        case .badSignature(let commit, nil, let detail):
            "the signature of commit \(commit) is not valid: \(detail);"
                + " the commit may have been changed after signing: sign it again with an allowed key"
        case .unknownKey(let commit, let key):
            "commit \(commit) is signed with \(key), which the policy does not allow;"
                + " add the key to the allowed signers file (SSH) or the keyring (OpenPGP), or sign with an allowed key"
        case .wrongKind(let commit, let expected, let found):
            "commit \(commit) has \(found.map { "an \($0)" } ?? "an unsupported") signature, but the policy"
                + " requires \(expected) signatures; sign it with an \(expected) key"
                + (expected == .ssh ? " (git -c gpg.format=ssh commit -S)" : " (git commit -S with gpg)")
                + " or change the signature policy"
        case .unusablePolicy(let commit, let path, let detail):
            "cannot verify commit \(commit): the policy file '\(path)' cannot be used: \(detail);"
                + " fix the signature policy's path or the file"
        case .toolFailed(let commit, let tool, let detail):
            "cannot verify commit \(commit): \(tool) failed: \(detail)"
        case .unreadable(let commit, let detail):
            "cannot verify commit \(commit): \(detail)"
        }
    }
}
