import ReconcilerCore
import Testing

struct HostConfigurationTests {
    let base = HostConfiguration(hostName: "web1")

    @Test func anEmptyFileKeepsEveryDefault() throws {
        let configuration = try HostConfigurationDecoder.decode("", file: "config.yaml", base: base)
        #expect(configuration == base)
        #expect(configuration.tracking == .branch("main"))
        #expect(configuration.path == "desired-state")
        #expect(configuration.stateDirectory == "/var/lib/reconciler")
        #expect(configuration.pollInterval == 30)
        #expect(configuration.runtime == .podman)
        #expect(!configuration.allowEmpty)
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
                sshKeyFile: /etc/reconciler/id_ed25519
                knownHostsFile: /etc/reconciler/known_hosts
              signers:
                sshAllowedSigners: /etc/reconciler/allowed_signers
            host:
              name: web7
              labels: {role: web, zone: b}
            runtime: docker
            stateDirectory: /srv/reconciler
            pollInterval: 5s
            allowEmpty: true
            """
        let configuration = try HostConfigurationDecoder.decode(text, file: "config.yaml", base: base)
        #expect(configuration.repositoryURL == "ssh://deploy@git.example.org/acme/hosts.git")
        #expect(configuration.tracking == .tag("production"))
        #expect(configuration.path == "hosts/desired-state")
        #expect(configuration.gitTimeout == 120)
        #expect(configuration.requireFastForward)
        #expect(configuration.credentials.sshKeyFile == "/etc/reconciler/id_ed25519")
        #expect(configuration.credentials.knownHostsFile == "/etc/reconciler/known_hosts")
        #expect(configuration.signers == .sshAllowedSigners("/etc/reconciler/allowed_signers"))
        #expect(configuration.host == HostIdentity(name: "web7", labels: ["role": "web", "zone": "b"]))
        #expect(configuration.runtime == .docker)
        #expect(configuration.stateDirectory == "/srv/reconciler")
        #expect(configuration.pollInterval == 5)
        #expect(configuration.allowEmpty)
    }

    @Test(arguments: [
        ("repository:\n  branchh: main\n", "config.yaml:2:3: unknown setting 'repository.branchh'"),
        ("runtime: lxc\n", "config.yaml:1:10: 'runtime' must be podman or docker, not 'lxc'"),
        ("pollInterval: often\n", "config.yaml:1:15: 'pollInterval' must be a duration"),
        ("allowEmpty: yes\n", "config.yaml:1:13: 'allowEmpty' must be true or false"),
        (
            "repository:\n  commit: abc123\n",
            "config.yaml:2:11: 'repository.commit' must be a full 40-character commit id"
        ),
        ("- a\n- b\n", "config.yaml:1:1: expected a mapping of settings"),
    ])
    func mistakesAreErrorsWithTheirPlace(text: String, expected: String) {
        let error = #expect(throws: HostConfigurationDecoder.Failure.self) {
            try HostConfigurationDecoder.decode(text, file: "config.yaml", base: base)
        }
        #expect(error?.description.hasPrefix(expected) == true, "\(error?.description ?? "")")
    }
}
