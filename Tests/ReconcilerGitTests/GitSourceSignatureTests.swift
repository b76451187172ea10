import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// With a signature policy, the source hands out only a head commit signed by an allowed
/// signer; otherwise the host stays on its last verified commit.
struct GitSourceSignatureTests {
    @Test func aHeadSignedByAnAllowedSSHKeyIsAccepted() throws {
        let fixture = try SourceFixture()
        let key = try SSHSigningKey()
        let signed = try fixture.upstream.commitSigned(file: "desired-state/app.yaml", contents: "v: 2\n", with: key)
        try fixture.publish()

        let update = try fixture.source(signaturePolicy: .sshAllowedSigners(path: key.allowedSigners))
            .update(lastAccepted: nil)

        #expect(update.commit.id == signed)
        #expect(update.signature?.signer == "ada@example.org")
    }

    @Test func anUnsignedHeadIsRefusedAndTheLastVerifiedCommitStays() throws {
        let fixture = try SourceFixture()
        let key = try SSHSigningKey()
        let verified = try fixture.upstream.commitSigned(file: "desired-state/app.yaml", contents: "v: 2\n", with: key)
        try fixture.publish()
        let source = fixture.source(signaturePolicy: .sshAllowedSigners(path: key.allowedSigners))
        _ = try source.update(lastAccepted: nil)
        let unsigned = try fixture.commitAndPublish("v: 3\n")

        let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: verified) }

        #expect(error?.kind == .signatureRefused)
        #expect(error?.message.contains(unsigned) == true)
        #expect(error?.message.contains("stays on its last verified commit") == true)
        // The commit already accepted is not checked again on every cycle.
        try fixture.upstream.git("reset", "-q", "--hard", verified)
        try fixture.publish()
        #expect(try source.update(lastAccepted: verified).change == .unchanged)
    }

    @Test func aHeadSignedByAnotherKeyIsRefusedNamingTheKey() throws {
        let fixture = try SourceFixture()
        let allowed = try SSHSigningKey()
        let stranger = try SSHSigningKey(principal: "mallory@example.org")
        let commit = try fixture.upstream.commitSigned(
            file: "desired-state/app.yaml", contents: "v: 2\n", with: stranger)
        try fixture.publish()

        let error = #expect(throws: SourceError.self) {
            try fixture.source(signaturePolicy: .sshAllowedSigners(path: allowed.allowedSigners)).update(
                lastAccepted: nil)
        }

        #expect(error?.kind == .signatureRefused)
        #expect(error?.message.contains(commit) == true)
        #expect(error?.message.contains("SHA256:") == true)
    }

    @Test func aHeadSignedWithOpenPGPVerifiesAgainstAKeyring() throws {
        let fixture = try SourceFixture()
        let key = try GPGSigningKey()
        let keyring = fixture.stateDirectory + "/trusted.gpg"
        try key.exportPublicKey(to: keyring, armored: false)
        let signed = try fixture.upstream.commitSigned(file: "desired-state/app.yaml", contents: "v: 2\n", with: key)
        try fixture.publish()

        let update = try fixture.source(signaturePolicy: .openPGPKeyring(path: keyring)).update(lastAccepted: nil)

        #expect(update.commit.id == signed)
        #expect(update.signature?.signer == key.fingerprint)
    }
}
