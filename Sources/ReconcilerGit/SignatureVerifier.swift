import Foundation
import Glibc
public import ReconcilerCore
import ReconcilerPOSIX

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
        do {
            path = try PrivateDirectory.make(prefix: "reconciler-verify").path
        } catch {
            throw .toolFailed(commit: signature.commit, tool: "verification", detail: error.description)
        }
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
