import ReconcilerTesting
import Testing

@testable import ReconcilerCore

/// `secrets:` of a Service: decoded with the ciphertext, every mistake reported once at its field.
struct SecretDecodingTests {
    static let binary = "age-encryption.org/v1\n-> X25519 abc\nbody\n--- mac\n\u{1}\u{2}"
    static let armored = "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n"
    static let secretFiles: [String: InMemoryTree.Item] = [
        "desired-state/secrets/web.env.age": .file(Array(binary.utf8)),
        "desired-state/secrets/token.age": .file(Array(armored.utf8)),
        "desired-state/secrets/clear.env": .file(Array("PASSWORD=hunter2\n".utf8)),
        "desired-state/secrets/huge.age": .file(
            Array("age-encryption.org/v1\n".utf8) + [UInt8](repeating: 0, count: 70_000)),
    ]

    @Test("a service's secrets are decoded with their ciphertext, named after the file without .age by default")
    func decodesSecrets() throws {
        let yaml = InvalidCase.service(
            "secrets:", "  - file: desired-state/secrets/web.env.age",
            "  - {file: desired-state/secrets/token.age, name: api-token}")
        var tree = InMemoryTree([InvalidCase.file: yaml])
        for (path, item) in Self.secretFiles { tree = tree.with(path, item) }
        let load = DesiredStateLoader.load(from: tree)
        let state = try #require(load.state, "\(load.diagnostics)")
        let secrets = try #require(state.services.first).secrets
        #expect(secrets.map(\.name) == ["web.env", "api-token"])
        #expect(secrets.map(\.path) == ["desired-state/secrets/web.env.age", "desired-state/secrets/token.age"])
        #expect(secrets.first?.ciphertext == Array(Self.binary.utf8))
    }

    static let invalid: [InvalidCase] = [
        InvalidCase(
            name: "a missing secret file names the path",
            yaml: InvalidCase.service("secrets: [{file: desired-state/secrets/nope.age}]"),
            at: "5:18", path: "secrets[0].file",
            message: "'desired-state/secrets/nope.age' does not exist in the repository"),
        InvalidCase(
            name: "a secret committed in clear is refused without quoting it",
            yaml: InvalidCase.service("secrets: [{file: desired-state/secrets/clear.env}]"),
            at: "5:18", path: "secrets[0].file", message: "is not an age-encrypted file"),
        InvalidCase(
            name: "a secret larger than 64 KiB is refused",
            yaml: InvalidCase.service("secrets: [{file: desired-state/secrets/huge.age}]"),
            at: "5:18", path: "secrets[0].file", message: "secrets may be at most 65536 bytes"),
        InvalidCase(
            name: "a secret name with a slash is refused",
            yaml: InvalidCase.service("secrets: [{file: desired-state/secrets/token.age, name: ../etc/passwd}]"),
            at: "5:57", path: "secrets[0].name", message: "must be a plain file name"),
        InvalidCase(
            name: "a hidden secret name is refused",
            yaml: InvalidCase.service("secrets: [{file: desired-state/secrets/token.age, name: .env}]"),
            at: "5:57", path: "secrets[0].name", message: "not starting with '.' or '-'"),
        InvalidCase(
            name: "two secrets of one service with one name are refused",
            yaml: InvalidCase.service(
                "secrets:", "  - {file: desired-state/secrets/token.age, name: key}",
                "  - {file: desired-state/secrets/web.env.age, name: key}"),
            at: "7:5", path: "secrets[1].name", message: "secret name 'key' is already used at"),
        InvalidCase(
            name: "a secret without a file is reported at the item",
            yaml: InvalidCase.service("secrets: [{name: key}]"),
            at: "5:11", path: "secrets[0].file", message: "required key 'file' is missing"),
        InvalidCase(
            name: "a misspelt secret key gets a suggestion",
            yaml: InvalidCase.service("secrets: [{file: desired-state/secrets/token.age, nmae: key}]"),
            at: "5:51", path: "secrets[0].nmae", message: "did you mean 'name'?"),
        InvalidCase(
            name: "secrets as a mapping are refused",
            yaml: InvalidCase.service("secrets: {file: desired-state/secrets/token.age}"),
            at: "5:10", path: "secrets", message: "expected a list of {file, name} mappings"),
        InvalidCase(
            name: "a secret file outside the repository is refused",
            yaml: InvalidCase.service("secrets: [{file: /etc/shadow}]"),
            at: "5:18", path: "secrets[0].file", message: "is absolute"),
    ]

    @Test(arguments: invalid)
    func reportsExactlyOneLocatedError(_ invalid: InvalidCase) {
        var tree = invalid.tree
        for (path, item) in Self.secretFiles { tree = tree.with(path, item) }
        let load = DesiredStateLoader.load(from: tree)
        #expect(load.state == nil)
        #expect(load.diagnostics.count == 1, "\(load.diagnostics.map(\.description))")
        guard let diagnostic = load.diagnostics.first else { return }
        #expect("\(diagnostic.location)" == "\(InvalidCase.file):\(invalid.at)", "\(diagnostic)")
        #expect(diagnostic.path == invalid.path, "\(diagnostic)")
        #expect(diagnostic.message.contains(invalid.message), "\(diagnostic)")
        #expect(!diagnostic.message.contains("hunter2"), "a clear-text secret is never quoted")
    }

    @Test(
        "base64 as coreutils' base64 -d reads it back",
        arguments: [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"), ("\u{FF}\u{FE}", "w7/Dvg=="),
        ])
    func base64(_ text: String, _ encoded: String) {
        #expect(Base64.encode(Array(text.utf8)) == encoded)
    }

    @Test("the identity path is shell-quoted in the unit's decrypt step")
    func identityIsQuoted() {
        #expect(ServiceRenderer.shellQuoted("/etc/it's key") == "'/etc/it'\\''s key'")
    }
}
