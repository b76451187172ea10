import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// Commit signatures checked as `git verify-commit` does, against real keys made for each test.
struct SignatureVerifierTests {

    /// `SHA256:…` of a public key, as ssh-keygen prints it.
    static func fingerprint(of key: SSHSigningKey) throws -> String {
        let line = try runTool("/usr/bin/ssh-keygen", ["-l", "-f", "\(key.privateKey).pub"])
        return String(line.split(separator: " ")[1])
    }

    @Test func extractsTheSignatureAndTheDataItCovers() throws {
        let fixture = try TemporaryGitRepository()
        let unsigned = try fixture.commit(file: "f", contents: "1", message: "Unsigned")
        let signed = try fixture.commitSigned(file: "f", contents: "2", with: SSHSigningKey())
        let repository = try GitRepository.open(at: fixture.path)

        let signature = try #require(try repository.commitSignature(of: "main"))

        #expect(try repository.commitSignature(of: unsigned) == nil)
        #expect(signature.commit == signed)
        #expect(signature.kind == .ssh)
        #expect(String(decoding: signature.signature, as: UTF8.self).hasPrefix("-----BEGIN SSH SIGNATURE-----"))
        let data = String(decoding: signature.signedData, as: UTF8.self)
        #expect(data.hasPrefix("tree ") && data.hasSuffix("\n\nSigned\n") && !data.contains("gpgsig"))
    }

    @Test func anSSHSignatureByAnAllowedKeyVerifies() throws {
        let fixture = try TemporaryGitRepository()
        let key = try SSHSigningKey()
        let commit = try fixture.commitSigned(file: "desired-state/a.yaml", contents: "a: 1\n", with: key)

        let verified = try GitRepository.open(at: fixture.path)
            .verifySignature(ofCommit: commit, policy: .sshAllowedSigners(path: key.allowedSigners))

        #expect(
            verified
                == VerifiedSignature(
                    commit: commit, kind: .ssh, signer: "ada@example.org", keyFingerprint: try Self.fingerprint(of: key)
                ))
    }

    @Test func anUnsignedCommitIsRefused() throws {
        let fixture = try TemporaryGitRepository()
        let commit = try fixture.commit(file: "f", contents: "1", message: "Unsigned")
        let allowed = try SSHSigningKey()

        let refusal = #expect(throws: SignatureRefusal.self) {
            try GitRepository.open(at: fixture.path)
                .verifySignature(ofCommit: commit, policy: .sshAllowedSigners(path: allowed.allowedSigners))
        }

        #expect(refusal == .unsigned(commit: commit))
        #expect(
            refusal?.description
                == "commit \(commit) is not signed, but a signature policy is set;"
                + " sign it with an allowed key (git commit -S) and push it")
    }

    @Test func aKeyMissingFromAllowedSignersIsRefusedNamingCommitAndKey() throws {
        let fixture = try TemporaryGitRepository()
        let signer = try SSHSigningKey()
        let commit = try fixture.commitSigned(file: "f", contents: "1", with: signer)
        let allowed = try SSHSigningKey(principal: "bob@example.org")

        let refusal = #expect(throws: SignatureRefusal.self) {
            try GitRepository.open(at: fixture.path)
                .verifySignature(ofCommit: commit, policy: .sshAllowedSigners(path: allowed.allowedSigners))
        }

        let key = "ED25519 key \(try Self.fingerprint(of: signer))"
        #expect(refusal == .unknownKey(commit: commit, key: key))
        #expect(
            refusal?.description
                == "commit \(commit) is signed with \(key), which the policy does not allow; add the key to the"
                + " allowed signers file (SSH) or the keyring (OpenPGP), or sign with an allowed key")
    }

    @Test func aKeyOutsideItsValidityAtTheCommitTimeIsRefused() throws {
        let fixture = try TemporaryGitRepository()
        let key = try SSHSigningKey(options: "namespaces=\"git\",valid-before=\"20200101\"")
        let commit = try fixture.commitSigned(file: "f", contents: "1", with: key)

        let refusal = #expect(throws: SignatureRefusal.self) {
            try GitRepository.open(at: fixture.path)
                .verifySignature(ofCommit: commit, policy: .sshAllowedSigners(path: key.allowedSigners))
        }

        guard case .badSignature(commit, let signer?, let detail)? = refusal else {
            Issue.record("expected a bad signature, got \(String(describing: refusal))")
            return
        }
        #expect(signer.hasSuffix(try Self.fingerprint(of: key)))
        #expect(detail.contains("key has expired"))
    }

    @Test func aMissingPolicyFileIsReported() throws {
        let fixture = try TemporaryGitRepository()
        let commit = try fixture.commitSigned(file: "f", contents: "1", with: SSHSigningKey())
        let missing = "/nonexistent-\(UUID().uuidString)/allowed_signers"

        let refusal = #expect(throws: SignatureRefusal.self) {
            try GitRepository.open(at: fixture.path)
                .verifySignature(ofCommit: commit, policy: .sshAllowedSigners(path: missing))
        }

        #expect(refusal == .unusablePolicy(commit: commit, path: missing, detail: "no such file"))
    }

    @Test func anSSHSignatureUnderAnOpenPGPPolicyIsTheWrongKind() throws {
        let fixture = try TemporaryGitRepository()
        let commit = try fixture.commitSigned(file: "f", contents: "1", with: SSHSigningKey())

        let refusal = #expect(throws: SignatureRefusal.self) {
            try GitRepository.open(at: fixture.path)
                .verifySignature(ofCommit: commit, policy: .openPGPKeyring(path: "/unused"))
        }

        #expect(refusal == .wrongKind(commit: commit, expected: .openpgp, found: .ssh))
        #expect(
            refusal?.description
                == "commit \(commit) has an SSH signature, but the policy requires OpenPGP signatures;"
                + " sign it with an OpenPGP key (git commit -S with gpg) or change the signature policy")
    }

    @Test(arguments: [true, false])
    func anOpenPGPSignatureByAKeyInTheKeyringVerifies(armored: Bool) throws {
        let fixture = try TemporaryGitRepository()
        let key = try GPGSigningKey()
        let commit = try fixture.commitSigned(file: "f", contents: "1", with: key)
        let keyring = "\(fixture.path)/.git/trusted.\(armored ? "asc" : "gpg")"
        try key.exportPublicKey(to: keyring, armored: armored)

        let verified = try GitRepository.open(at: fixture.path)
            .verifySignature(ofCommit: commit, policy: .openPGPKeyring(path: keyring))

        #expect(
            verified
                == VerifiedSignature(
                    commit: commit, kind: .openpgp, signer: key.fingerprint, keyFingerprint: key.fingerprint))
    }

    @Test
    func anOpenPGPSignatureByAnotherKeyIsAnUnknownKey() throws {
        let fixture = try TemporaryGitRepository()
        let trusted = try GPGSigningKey()
        let other = try GPGSigningKey(userID: "Mallory <m@example.org>")
        let commit = try fixture.commitSigned(file: "f", contents: "1", with: other)
        let keyring = "\(fixture.path)/.git/trusted.gpg"
        try trusted.exportPublicKey(to: keyring, armored: false)

        let refusal = #expect(throws: SignatureRefusal.self) {
            try GitRepository.open(at: fixture.path)
                .verifySignature(ofCommit: commit, policy: .openPGPKeyring(path: keyring))
        }

        #expect(refusal == .unknownKey(commit: commit, key: "the OpenPGP key \(other.fingerprint)"))
    }
}
