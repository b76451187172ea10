import Foundation
import Glibc

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

extension GitRepository {
    /// Checks the signature of a commit as `git verify-commit` does, with `ssh-keygen -Y` for
    /// SSH signatures and `gpgv` for OpenPGP ones.
    ///
    /// Key validity is checked at the committer time, as git does: a key removed or expired later
    /// keeps its old commits valid. The committer time is the signer's own claim, covered by the
    /// signature, so it cannot be changed without signing again.
    /// - Parameter id: The commit (any revision that names one works; messages use it as given
    ///   until the full id is known).
    /// - Throws: `SignatureRefusal` for every outcome but a good signature by an allowed key.
    public func verifySignature(ofCommit id: String, policy: SignaturePolicy) throws(SignatureRefusal)
        -> VerifiedSignature
    {
        let found: CommitSignature?
        do throws(GitError) {
            found = try commitSignature(of: id)
        } catch {
            throw .unreadable(commit: id, detail: "\(error)")
        }
        guard let signature = found else { throw .unsigned(commit: id) }
        guard signature.kind == policy.kind else {
            throw .wrongKind(commit: signature.commit, expected: policy.kind, found: signature.kind)
        }
        let policyFile = try Self.readablePolicyFile(policy.path, commit: signature.commit)
        let workspace = try VerificationWorkspace(for: signature)
        defer { workspace.remove() }
        switch policy {
        case .sshAllowedSigners:
            return try SSHSignatureCheck(signature: signature, allowedSigners: policyFile, workspace: workspace)
                .verify()
        case .openPGPKeyring:
            return try OpenPGPSignatureCheck(signature: signature, keyring: policyFile, workspace: workspace).verify()
        }
    }

    /// The policy file as an absolute path: the tools run in the workspace, and gpgv reads a
    /// relative keyring from its home folder rather than the current one.
    private static func readablePolicyFile(_ path: String, commit: String) throws(SignatureRefusal) -> String {
        let absolute =
            path.hasPrefix("/")
            ? path
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                .appendingPathComponent(path).path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .unusablePolicy(commit: commit, path: path, detail: "no such file")
        }
        guard FileManager.default.isReadableFile(atPath: absolute) else {
            throw .unusablePolicy(commit: commit, path: path, detail: "not readable by this user")
        }
        return absolute
    }
}

/// A private temporary folder (0700) with the signature and the signed data as files, for the tools.
struct VerificationWorkspace {
    let path: String
    let commit: String

    var signatureFile: String { "\(path)/signature" }
    var signedDataFile: String { "\(path)/signed-data" }

    init(for signature: CommitSignature) throws(SignatureRefusal) {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/reconciler-verify-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .toolFailed(
                commit: signature.commit, tool: "verification",
                detail: "cannot create a temporary folder in \(base): \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
        commit = signature.commit
        guard FileManager.default.createFile(atPath: signatureFile, contents: Data(signature.signature)),
            FileManager.default.createFile(atPath: signedDataFile, contents: Data(signature.signedData))
        else {
            remove()
            throw .toolFailed(
                commit: signature.commit, tool: "verification", detail: "cannot write the signature files in \(path)")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs a tool found on PATH in this folder, turning a missing or hung tool into a refusal.
    func run(
        _ name: String, package: String, _ arguments: [String], input: String? = nil,
        environment: [String: String] = [:]
    ) throws(SignatureRefusal) -> ToolOutput {
        let result = SignatureTool.locate(name, package: package).flatMap {
            $0.run(arguments, input: input, in: path, environment: environment)
        }
        switch result {
        case .success(let output): return output
        case .failure(let problem): throw .toolFailed(commit: commit, tool: problem.tool, detail: problem.detail)
        }
    }
}
