import Foundation
import ReconcilerCore
import ReconcilerPOSIX
import ReconcilerTesting
import Testing

/// The host-side check before a commit with secrets is applied, with the real age and age-keygen.
struct AgeSecretCheckerTests {
    let directory: PrivateDirectory
    let identity: String
    let recipient: String

    init() throws {
        directory = try PrivateDirectory.make(prefix: "reconciler-age-test")
        identity = directory.file("age-identity.txt")
        let made = try ToolRun.run("/usr/bin/age-keygen", ["-o", identity])
        guard made.status == 0 else { throw POSIXFailure("age-keygen: \(made)") }
        chmod(identity, 0o600)
        recipient = try ToolRun.run("/usr/bin/age-keygen", ["-y", identity]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `plaintext` encrypted for `recipient` by the real age, binary or armored.
    func encrypt(_ plaintext: String, for recipient: String, armor: Bool = false) throws -> SecretFile {
        let output = directory.file("secret-\(UUID().uuidString).age")
        let run = try ToolRun.run(
            "/usr/bin/age", (armor ? ["-a"] : []) + ["-r", recipient, "-o", output], input: plaintext)
        #expect(run.status == 0, "\(run)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
        return SecretFile(name: "app.env", path: "desired-state/secrets/app.env.age", ciphertext: bytes)
    }

    @Test("a secret encrypted for the host's identity passes, binary or armored", arguments: [false, true])
    func decryptable(armor: Bool) throws {
        defer { directory.remove() }
        let checker = AgeSecretChecker()
        try checker.checkIdentity(at: identity)
        try checker.check(try encrypt("TOKEN=canary\n", for: recipient, armor: armor), identity: identity)
    }

    @Test("a secret for another host's key is refused with age's reason and what to do")
    func otherRecipient() throws {
        defer { directory.remove() }
        let other = directory.file("other.txt")
        _ = try ToolRun.run("/usr/bin/age-keygen", ["-o", other])
        let otherRecipient = try ToolRun.run("/usr/bin/age-keygen", ["-y", other]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let secret = try encrypt("TOKEN=canary-other\n", for: otherRecipient)
        let error = #expect(throws: SecretCheckFailure.self) {
            try AgeSecretChecker().check(secret, identity: identity)
        }
        let message = error?.description ?? ""
        #expect(message.contains("desired-state/secrets/app.env.age cannot be decrypted"), "\(message)")
        #expect(message.contains("no identity matched"), "\(message)")
        #expect(message.contains("age-keygen -y \(identity)"), "\(message)")
        #expect(!message.contains("canary-other"))
    }

    @Test("a missing identity is refused with how to make one")
    func missingIdentity() {
        defer { directory.remove() }
        let missing = directory.file("none.txt")
        let error = #expect(throws: SecretCheckFailure.self) { try AgeSecretChecker().checkIdentity(at: missing) }
        #expect(error?.description.contains("no usable age identity at \(missing)") == true)
        #expect(error?.description.contains("age-keygen -o \(missing)") == true)
    }

    @Test("an identity readable by others is refused", arguments: [0o644, 0o640, 0o604])
    func openIdentity(mode: Int) {
        defer { directory.remove() }
        chmod(identity, mode_t(mode))
        let error = #expect(throws: SecretCheckFailure.self) { try AgeSecretChecker().checkIdentity(at: identity) }
        #expect(error?.description.contains("chmod 0600 \(identity)") == true)
    }

    @Test("an identity of mode 0400 is accepted")
    func readOnlyIdentity() throws {
        defer { directory.remove() }
        chmod(identity, 0o400)
        try AgeSecretChecker().checkIdentity(at: identity)
    }
}
