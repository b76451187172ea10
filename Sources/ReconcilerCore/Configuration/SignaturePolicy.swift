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
}

/// Which signatures a host accepts on the commits it applies.
public enum SignaturePolicy: Sendable, Equatable {
    /// SSH signatures by keys listed in an allowed signers file (ssh-keygen(1), "ALLOWED SIGNERS"),
    /// as git's `gpg.ssh.allowedSignersFile`. Only entries valid for the "git" namespace count.
    case sshAllowedSigners(path: String)
    /// OpenPGP signatures by keys in a keyring file (binary or ASCII-armored public keys).
    /// The keyring is the whole trust list: there is no web of trust and no key server.
    case openPGPKeyring(path: String)

    /// The signature format the policy accepts.
    public var kind: SignatureKind {
        switch self {
        case .sshAllowedSigners: .ssh
        case .openPGPKeyring: .openpgp
        }
    }

    /// The allowed signers file or keyring.
    public var path: String {
        switch self {
        case .sshAllowedSigners(let path), .openPGPKeyring(let path): path
        }
    }
}

/// A signature that verified under the policy.
public struct VerifiedSignature: Sendable, Equatable {
    /// The full id of the signed commit.
    public var commit: String
    public var kind: SignatureKind
    /// Who signed: the SSH principal from the allowed signers file, or the OpenPGP primary key fingerprint.
    public var signer: String
    /// The key that made the signature: `SHA256:…` for SSH, the (sub)key fingerprint for OpenPGP.
    public var keyFingerprint: String

    public init(commit: String, kind: SignatureKind, signer: String, keyFingerprint: String) {
        self.commit = commit
        self.kind = kind
        self.signer = signer
        self.keyFingerprint = keyFingerprint
    }
}
