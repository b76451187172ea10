import Foundation
import Testing

/// The package `make deb` builds (scripts/build-deb), on a real host with dpkg: install,
/// a configured agent converging the blog, an upgrade that keeps the edited config,
/// remove that keeps it, and purge that removes it.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct DebianPackageEndToEndTests {
    static let work = "/srv/work"
    static let remote = "/srv/desired.git"
    /// The blog's published port on this suite's host (the suite's range is 8190-8198).
    static let port = 8190

    /// Builds the package of the test binary as `version` into a new folder; its path.
    static func buildPackage(version: String) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("deb-\(UUID().uuidString)").path
        let build = try Command.run(
            Testbed.repositoryRoot + "/scripts/build-deb",
            ["--binary", Testbed.reconcilerBinary, "--output", output, "--version", version], timeout: 600)
        guard build.status == 0 else { throw TestbedError(message: "scripts/build-deb failed: \(build)") }
        return build.stdout.trimmed
    }

    /// Runs `body` and prints how long it took, for the report of a run.
    static func timed<T>(_ what: String, _ body: () throws -> T) rethrows -> T {
        let start = Date()
        defer { print("deb e2e: \(what) took \(String(format: "%.1f", Date().timeIntervalSince(start))) s") }
        return try body()
    }

    static func packageState(_ host: TestHost) throws -> String {
        try host.exec("dpkg-query", "-W", "-f", "${Status} ${Version}", "reconciler").stdout.trimmed
    }

    static func exists(_ host: TestHost, _ path: String) throws -> Bool {
        try host.exec("test", "-e", path).status == 0
    }

    /// What bash offers for `reconciler st` with the installed completion script.
    static func completes(_ host: TestHost) throws -> String {
        let driver = """
            source /usr/share/bash-completion/completions/reconciler || exit 10
            COMP_WORDS=(reconciler st); COMP_CWORD=1; COMP_LINE='reconciler st'; COMP_POINT=13
            _reconciler reconciler st reconciler
            echo "${COMPREPLY[*]}"
            """
        return try host.mustExec("bash", "--norc", "-c", driver).trimmed
    }

    static let installedFiles = [
        "/usr/bin/reconciler", "/lib/systemd/system/reconciler.service", "/usr/share/man/man1/reconciler.1.gz",
        "/usr/share/bash-completion/completions/reconciler", "/usr/share/zsh/vendor-completions/_reconciler",
        "/usr/share/fish/vendor_completions.d/reconciler.fish", "/usr/share/doc/reconciler/copyright",
    ]

    @Test(.timeLimit(.minutes(60)))
    func theInstalledPackageConvergesTheBlogAndRemoveKeepsTheConfigThatPurgeRemoves() throws {
        let first = try Self.timed("scripts/build-deb") { try Self.buildPackage(version: "0.1.0+e2e1") }
        let second = try Self.buildPackage(version: "0.1.0+e2e2")
        defer {
            for deb in [first, second] {
                try? FileManager.default.removeItem(atPath: (deb as NSString).deletingLastPathComponent)
            }
        }
        let host = try TestHost.bootFresh("e2e-deb")
        // bootFresh puts a binary at /usr/local/bin, ahead of /usr/bin on PATH: the package
        // must bring its own.
        try host.mustExec("rm", "-rf", "/usr/local/bin/reconciler", "/etc/reconciler", "/var/lib/reconciler")
        try host.copy(first, to: "/var/tmp/reconciler-1.deb")
        try host.copy(second, to: "/var/tmp/reconciler-2.deb")

        // Install: every file in place, root-only config, and an agent that is neither
        // enabled nor started while no repository is configured (it would crash-loop).
        let installed = try Self.timed("dpkg -i") {
            try host.exec("dpkg", "-i", "/var/tmp/reconciler-1.deb", timeout: 300)
        }
        #expect(installed.status == 0, "\(installed)")
        #expect(installed.stdout.contains("systemctl enable --now reconciler"), "\(installed)")
        #expect(try Self.packageState(host) == "install ok installed 0.1.0+e2e1-1")
        for file in Self.installedFiles { #expect(try Self.exists(host, file), "\(file) is missing") }
        #expect(try InstallEndToEndTests.mode(host, "/usr/bin/reconciler") == "755")
        #expect(try InstallEndToEndTests.mode(host, "/etc/reconciler") == "700")
        #expect(try InstallEndToEndTests.mode(host, "/etc/reconciler/config.yaml") == "600")
        #expect(try InstallEndToEndTests.mode(host, "/var/lib/reconciler") == "700")
        #expect(try host.mustExec("sh", "-c", "command -v reconciler").trimmed == "/usr/bin/reconciler")
        let unit = try host.mustExec("systemctl", "cat", "reconciler.service")
        #expect(unit.contains("\nExecStart=/usr/bin/reconciler run\n"), "\(unit)")
        let verify = try host.exec("systemd-analyze", "verify", "/lib/systemd/system/reconciler.service")
        #expect(verify.status == 0 && verify.stderr.trimmed.isEmpty, "\(verify)")
        #expect(try host.exec("systemctl", "is-enabled", "reconciler.service").stdout.trimmed == "disabled")
        #expect(try host.exec("systemctl", "is-active", "reconciler.service").stdout.trimmed == "inactive")
        #expect(try Self.completes(host) == "status")

        // The operator edits the example config: a repository URL and a short poll.
        try host.mustExec(
            "sed", "-i", "-e", "s|^  # url: https://git.example.org/acme/hosts.git$|  url: \(Self.remote)|",
            "-e", "s|^pollInterval: 30s$|pollInterval: 3s|", "/etc/reconciler/config.yaml")
        #expect(try host.mustExec("cat", "/etc/reconciler/config.yaml").contains("\n  url: \(Self.remote)\n"))
        try host.copyRepository(to: Self.work)
        try host.mustExec(
            "sed", "-i", "-e", "s|\"8080:8080\"|\"\(Self.port):8080\"|",
            "-e", "s|http://127.0.0.1:8080/healthz|http://127.0.0.1:\(Self.port)/healthz|",
            "\(Self.work)/desired-state/blog.yaml")
        try host.initRepository(work: Self.work, remote: Self.remote)

        // Started with systemctl, the packaged agent builds and starts the blog.
        try host.mustExec("systemctl", "enable", "--now", "reconciler.service", timeout: 120)
        let url = "http://\(host.address):\(Self.port)"
        #expect(
            try Self.timed("the blog converging") { try HTTPProbe.waitForOK("\(url)/healthz", timeout: 900) } == "ok")
        #expect(try BlogClient(baseURL: url).index().contains("Flaskr"))

        // Upgrade: the edited conffile is kept without a question, the agent runs the new
        // binary and stays enabled.
        let before = try host.mustExec("systemctl", "show", "-P", "MainPID", "reconciler.service").trimmed
        let upgraded = try Self.timed("dpkg -i (upgrade)") {
            try host.exec("dpkg", "-i", "/var/tmp/reconciler-2.deb", timeout: 600)
        }
        #expect(upgraded.status == 0, "\(upgraded)")
        #expect(try Self.packageState(host) == "install ok installed 0.1.0+e2e2-1")
        #expect(try host.mustExec("cat", "/etc/reconciler/config.yaml").contains("\n  url: \(Self.remote)\n"))
        #expect(try InstallEndToEndTests.mode(host, "/etc/reconciler/config.yaml") == "600")
        #expect(try Self.exists(host, "/etc/reconciler/config.yaml.dpkg-dist") == false)
        #expect(try host.mustExec("systemctl", "is-enabled", "reconciler.service").trimmed == "enabled")
        #expect(
            try InstallEndToEndTests.waitUntil(60) {
                try host.exec("systemctl", "is-active", "reconciler.service").stdout.trimmed == "active"
            })
        #expect(try host.mustExec("systemctl", "show", "-P", "MainPID", "reconciler.service").trimmed != before)

        // Remove: the agent stops and every packaged file goes but the config; the state
        // and the blog the agent deployed stay.
        let removed = try Self.timed("dpkg -r") { try host.exec("dpkg", "-r", "reconciler", timeout: 600) }
        #expect(removed.status == 0, "\(removed)")
        #expect(try Self.packageState(host).hasPrefix("deinstall ok config-files"))
        for file in Self.installedFiles { #expect(try !Self.exists(host, file), "\(file) is left after dpkg -r") }
        #expect(try !Self.exists(host, "/etc/systemd/system/multi-user.target.wants/reconciler.service"))
        #expect(try host.exec("systemctl", "is-active", "reconciler.service").stdout.trimmed != "active")
        #expect(try host.mustExec("cat", "/etc/reconciler/config.yaml").contains("\n  url: \(Self.remote)\n"))
        #expect(try Self.exists(host, "/var/lib/reconciler/state.sqlite"))
        #expect(try HTTPProbe.waitForOK("\(url)/healthz", timeout: 30) == "ok")

        // Purge: the configuration and the state go too.
        let purged = try Self.timed("dpkg -P") { try host.exec("dpkg", "-P", "reconciler", timeout: 300) }
        #expect(purged.status == 0, "\(purged)")
        #expect(try !Self.exists(host, "/etc/reconciler"))
        #expect(try !Self.exists(host, "/var/lib/reconciler"))
        #expect(try !Self.packageState(host).contains("config-files"))

        // A host provisioned with its config before the package: the first install keeps
        // that config (--force-confold answers dpkg's question) and starts the agent.
        try host.writeFile("/etc/reconciler/config.yaml", "repository:\n  url: \(Self.remote)\npollInterval: 3s\n")
        let provisioned = try host.exec(
            "dpkg", "--force-confold", "-i", "/var/tmp/reconciler-1.deb", timeout: 300)
        #expect(provisioned.status == 0, "\(provisioned)")
        #expect(try host.mustExec("cat", "/etc/reconciler/config.yaml").hasPrefix("repository:\n  url: \(Self.remote)"))
        #expect(try host.exec("systemctl", "is-enabled", "reconciler.service").stdout.trimmed == "enabled")
        #expect(try host.exec("systemctl", "is-active", "reconciler.service").stdout.trimmed == "active")
        #expect(try InstallEndToEndTests.mode(host, "/etc/reconciler") == "700")
        try host.stop()
    }
}
