import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Synchronization
import Testing

/// A commit with secrets: checked with the host's identity before anything changes.
struct SecretRunTests {
    /// Answers the engine's checks as a test scripts them, and counts them.
    final class ScriptedSecrets: SecretChecking {
        let identityProblem: String?
        let undecryptable: Set<String>
        let missingEnvironmentFiles: Set<String>
        let checked = Mutex<[String]>([])

        init(
            identityProblem: String? = nil, undecryptable: Set<String> = [], missingEnvironmentFiles: Set<String> = []
        ) {
            self.identityProblem = identityProblem
            self.undecryptable = undecryptable
            self.missingEnvironmentFiles = missingEnvironmentFiles
        }

        func checkEnvironmentFile(at path: String) throws(SecretCheckFailure) {
            if missingEnvironmentFiles.contains(path) { throw SecretCheckFailure("the env file is missing") }
        }

        func checkIdentity(at path: String) throws(SecretCheckFailure) {
            if let identityProblem { throw SecretCheckFailure("\(identityProblem) at \(path)") }
        }

        func check(_ secret: SecretFile, identity: String) throws(SecretCheckFailure) {
            checked.withLock { $0.append(secret.path) }
            if undecryptable.contains(secret.path) { throw SecretCheckFailure("\(secret.path) is not for this host") }
        }
    }

    /// The blog with a secret, and a cache without one.
    static func files(token: String) -> [String: String] {
        var files = DesiredFiles.blog(withTimer: false).merging(DesiredFiles.cache()) { first, _ in first }
        files["desired-state/blog.yaml", default: ""] += "secrets: [{file: desired-state/secrets/token.age}]\n"
        files["desired-state/secrets/token.age"] = "age-encryption.org/v1\n-> X25519 \(token)\n--- mac\n"
        return files
    }

    func run(_ engine: EngineFixture, _ secrets: ScriptedSecrets) throws(ReconcileError) -> RunReport {
        var ports = engine.ports
        ports.secrets = secrets
        return try Reconciliation(configuration: engine.configuration, ports: ports, logger: engine.logger)
            .once(waitForLock: false)
    }

    @Test(
        "a host that cannot decrypt the commit's secrets refuses it and changes nothing",
        arguments: [
            ScriptedSecrets(identityProblem: "no usable age identity"),
            ScriptedSecrets(undecryptable: ["desired-state/secrets/token.age"]),
        ])
    func refused(_ secrets: ScriptedSecrets) {
        let engine = EngineFixture()
        engine.configuration.ageIdentity = "/etc/reconciler/host.key"
        engine.repository.commit(Self.files(token: "one"))

        let error = #expect(throws: ReconcileError.self) { try run(engine, secrets) }

        #expect(error?.stage == .refused)
        #expect(error?.message.contains("was refused, nothing was changed") == true, "\(String(describing: error))")
        let reason = secrets.identityProblem.map { "\($0) at /etc/reconciler/host.key" } ?? "is not for this host"
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
        #expect(engine.host.operations.isEmpty)
        #expect(engine.host.files.isEmpty)
    }

    @Test("a host without an env file the commit names refuses it, naming the file and its users, changing nothing")
    func missingEnvironmentFile() {
        let engine = EngineFixture()
        var files = DesiredFiles.blog(withTimer: false)
        files["desired-state/blog.yaml", default: ""] += "envFiles: [/etc/reconciler/secrets/blog.env]\n"
        engine.repository.commit(files)
        let secrets = ScriptedSecrets(missingEnvironmentFiles: ["/etc/reconciler/secrets/blog.env"])

        let error = #expect(throws: ReconcileError.self) { try run(engine, secrets) }

        #expect(error?.stage == .refused)
        #expect(
            error?.message.contains("services blog need /etc/reconciler/secrets/blog.env: the env file is missing")
                == true, "\(String(describing: error))")
        #expect(engine.host.operations.isEmpty)
        #expect(engine.host.files.isEmpty)
    }

    @Test("a rotated secret changes only the unit of the service that uses it")
    func rotation() throws {
        let engine = EngineFixture()
        let secrets = ScriptedSecrets()
        engine.repository.commit(Self.files(token: "one"))
        _ = try run(engine, secrets)
        let blog = try #require(engine.host.files["blog.service"])
        #expect(blog.contains("Environment=RECONCILER_SECRET_0="))
        #expect(blog.contains("--volume /run/reconciler/secrets/blog:/run/secrets:ro"))
        #expect(!(engine.host.files["cache.service"] ?? "").contains("RECONCILER_SECRET"))

        engine.repository.commit(Self.files(token: "two"))
        let rotated = try run(engine, secrets)

        #expect(Set(rotated.actions.map(\.target).filter { !$0.isEmpty }) == ["blog.service"], "\(rotated.actions)")
        #expect(engine.host.files["blog.service"] != blog)
        #expect(secrets.checked.withLock { $0 }.count == 2, "each ciphertext is checked before it is applied")
    }
}
