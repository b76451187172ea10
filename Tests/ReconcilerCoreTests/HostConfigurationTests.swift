import Foundation
import ReconcilerCore
import Testing

/// `/etc/reconciler/config.yaml`, read as strictly as the desired state.
struct HostConfigurationTests {
    let base = HostConfiguration(hostName: "web1")

    func decode(_ text: String) throws(HostConfigurationDecoder.Failure) -> HostConfiguration {
        try HostConfigurationDecoder.decode(text, file: "config.yaml", base: base)
    }

    @Test func anEmptyFileKeepsEveryDefault() throws {
        let configuration = try decode("")
        #expect(configuration == base)
        #expect(configuration.repository.reference == .branch("main"))
        #expect(configuration.repository.path == "desired-state")
        #expect(configuration.stateDirectory == "/var/lib/reconciler")
        #expect(configuration.pollInterval == 30)
        #expect(configuration.runtime == .podman)
        #expect(!configuration.allowEmpty)
    }

    @Test func aFileOfCommentsKeepsEveryDefault() throws {
        #expect(try decode("# nothing set yet\n") == base)
    }

    @Test("requireFastForward unset stays unset (the git source decides from the signers); false is kept as false")
    func requireFastForwardKeepsUnsetApartFromFalse() throws {
        #expect(try decode("repository: {url: /srv/hosts.git}\n").repository.requireFastForward == nil)
        #expect(
            try decode("repository: {url: /srv/hosts.git, requireFastForward: false}\n").repository.requireFastForward
                == false)
        #expect(try decode("repository: {url: /srv/hosts.git}\n").repository.credentials.allowInsecureHTTP == false)
    }

    @Test func everySettingIsRead() throws {
        let text = """
            repository:
              url: ssh://deploy@git.example.org/acme/hosts.git
              tag: production
              path: hosts/desired-state
              timeout: 2m
              requireFastForward: true
              credentials:
                username: deploy
                sshKeyFile: /etc/reconciler/id_ed25519
                knownHostsFile: /etc/reconciler/known_hosts
                allowInsecureHTTP: true
              signers:
                sshAllowedSigners: /etc/reconciler/allowed_signers
            host:
              name: web7
              labels: {role: web, zone: b}
            runtime: docker
            stateDirectory: /srv/reconciler
            unitDirectory: /run/systemd/system
            pollInterval: 5s
            allowEmpty: true
            retainReleases: 0
            historyLimit: 50
            """
        let configuration = try decode(text)
        let repository = configuration.repository
        #expect(repository.url == "ssh://deploy@git.example.org/acme/hosts.git")
        #expect(repository.reference == .tag("production"))
        #expect(repository.path == "hosts/desired-state")
        #expect(repository.timeout == 120)
        #expect(repository.requireFastForward == true)
        #expect(repository.credentials.username == "deploy")
        #expect(repository.credentials.sshKeyFile == "/etc/reconciler/id_ed25519")
        #expect(repository.credentials.knownHostsFile == "/etc/reconciler/known_hosts")
        #expect(repository.credentials.allowInsecureHTTP)
        #expect(repository.signaturePolicy == .sshAllowedSigners(path: "/etc/reconciler/allowed_signers"))
        #expect(configuration.host == HostIdentity(name: "web7", labels: ["role": "web", "zone": "b"]))
        #expect(configuration.runtime == .docker)
        #expect(configuration.stateDirectory == "/srv/reconciler")
        #expect(configuration.unitDirectory == "/run/systemd/system")
        #expect(configuration.pollInterval == 5)
        #expect(configuration.allowEmpty)
        #expect(configuration.retainReleases == 0)
        #expect(configuration.historyLimit == 50)
    }

    @Test func theShippedExampleConfigurationIsValidAndSetsOnlyDefaults() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("units/config.example.yaml")
        let bytes = try [UInt8](Data(contentsOf: path))

        let configuration = try HostConfigurationDecoder.decode(
            bytes: bytes, file: "units/config.example.yaml", base: base)

        #expect(configuration == base)
    }

    @Test func aPinnedCommitIsReadInLowerCase() throws {
        let id = "0123456789ABCDEF0123456789abcdef01234567"
        #expect(try decode("repository:\n  commit: \(id)\n").repository.reference == .commit(id.lowercased()))
    }

    @Test(arguments: [
        (
            "repository:\n  branchh: main\n",
            "config.yaml:2:3: error: repository.branchh: unknown key 'branchh'; did you mean 'branch'?"
        ),
        (
            "pollIntervall: 5s\n",
            "config.yaml:1:1: error: pollIntervall: unknown key 'pollIntervall'; did you mean 'pollInterval'?"
        ),
        (
            "runtime: podmn\n",
            "config.yaml:1:10: error: runtime: expected podman or docker, found 'podmn'; did you mean 'podman'?"
        ),
        ("pollInterval: often\n", "config.yaml:1:15: error: pollInterval: 'often' is not a duration"),
        ("pollInterval: 0s\n", "config.yaml:1:15: error: pollInterval: duration '0s' is out of range"),
        ("retainReleases: -1\n", "config.yaml:1:17: error: retainReleases: expected a whole number from 0"),
        ("historyLimit: 0\n", "config.yaml:1:15: error: historyLimit: expected a whole number from 1"),
        ("historyLimit: many\n", "config.yaml:1:15: error: historyLimit: expected a whole number from 1"),
        ("allowEmpty: yes\n", "config.yaml:1:13: error: allowEmpty: 'yes' is not a boolean here"),
        ("allowEmpty: \"true\"\n", "config.yaml:1:13: error: allowEmpty: expected true or false"),
        (
            "repository:\n  commit: abc123\n",
            "config.yaml:2:11: error: repository.commit: expected a full 40-character commit id, found 'abc123'"
        ),
        (
            "repository:\n  branch: main\n  tag: v1\n",
            "config.yaml:2:3: error: repository: set at most one of branch, tag or commit (found branch and tag)"
        ),
        ("stateDirectory: var/lib/x\n", "config.yaml:1:17: error: stateDirectory: expected an absolute path"),
        (
            "repository:\n  credentials:\n    passwordFile: token\n",
            "config.yaml:3:19: error: repository.credentials.passwordFile: expected an absolute path"
        ),
        ("repository:\n  path: ../up\n", "config.yaml:2:9: error: repository.path: expected a folder relative"),
        ("host:\n  name: \"web\\n1\"\n", "config.yaml:2:9: error: host.name: contains a control character (U+000A)"),
        ("host:\n  labels: [web]\n", "config.yaml:2:11: error: host.labels: expected a mapping of names to strings"),
        ("- a\n- b\n", "config.yaml:1:1: error: expected a mapping with keys repository"),
        ("runtime: podman\nruntime: docker\n", "config.yaml:2:1: error: runtime: duplicate key 'runtime'"),
        ("base: &b {x: 1}\nrepository: *b\n", "config.yaml:1:7: error: base: anchors and aliases"),
        ("runtime: podman\n---\nruntime: docker\n", "config.yaml:3:1: error: the configuration is one YAML document"),
        ("repository: {url: [a\n", "config.yaml:2:1: error: invalid YAML"),
    ])
    func mistakesAreErrorsWithTheirPlace(text: String, expected: String) {
        let error = #expect(throws: HostConfigurationDecoder.Failure.self) { try decode(text) }
        #expect(error?.description.hasPrefix(expected) == true, "\(error?.description ?? "")")
    }

    @Test func everyMistakeIsReportedAtOnceInFileOrder() {
        let text = "runtime: lxc\npollInterval: soon\nallowEmpty: maybe\n"

        let error = #expect(throws: HostConfigurationDecoder.Failure.self) { try decode(text) }

        #expect(error?.diagnostics.map(\.location.line) == [1, 2, 3])
    }

    @Test func bytesThatAreNotUTF8AreRefusedWithTheirOffset() {
        let bytes = Array("runtime: podman\n".utf8) + [0xFF, 0x0A]

        let error = #expect(throws: HostConfigurationDecoder.Failure.self) {
            try HostConfigurationDecoder.decode(bytes: bytes, file: "config.yaml", base: base)
        }

        #expect(error?.description.contains("not valid UTF-8") == true)
    }
}
