import Foundation
import Testing

/// `scripts/install-agent` on a real host: the files it installs, the hardened unit
/// converging a host with podman, reload, and an uninstall that keeps the configuration.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct InstallEndToEndTests {
    static let work = "/srv/work"
    static let remote = "/srv/desired.git"
    /// Where the installer and its inputs are copied; the host has no checkout.
    static let kit = "/var/tmp/reconciler-kit"

    static func waitUntil(_ timeout: TimeInterval, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            usleep(250_000)
        }
        return try condition()
    }

    /// The completions and the man page under the default prefix.
    static let docFiles = [
        "/usr/local/share/bash-completion/completions/reconciler", "/usr/local/share/zsh/site-functions/_reconciler",
        "/usr/local/share/fish/vendor_completions.d/reconciler.fish", "/usr/local/share/man/man1/reconciler.1",
    ]

    static func mode(_ host: TestHost, _ path: String) throws -> String {
        try host.mustExec("stat", "-c", "%a", path).trimmed
    }

    @Test(.timeLimit(.minutes(60)))
    func theInstalledAgentConvergesTheHostUnderItsHardenedUnitAndUninstallKeepsTheConfig() throws {
        let host = try TestHost.bootFresh("e2e-install")
        // bootFresh puts a binary at /usr/local/bin: the installer must do that itself.
        try host.mustExec("rm", "-rf", "/usr/local/bin/reconciler", "/etc/reconciler", "/var/lib/reconciler")
        try host.copy(Testbed.reconcilerBinary, to: "\(Self.kit)/reconciler")
        try host.copy(Testbed.repositoryRoot + "/units", to: "\(Self.kit)/units")
        try host.copy(Testbed.repositoryRoot + "/scripts/install-agent", to: "\(Self.kit)/install-agent")
        // What `make completions man` writes, as `make install` passes it.
        let docs = FileManager.default.temporaryDirectory.appendingPathComponent("docs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: docs) }
        let generated = try Command.run(
            Testbed.repositoryRoot + "/scripts/generate-docs", ["--binary", Testbed.reconcilerBinary, "--output", docs])
        #expect(generated.status == 0, "\(generated)")
        try host.copy(docs, to: "\(Self.kit)/docs")
        let install = [
            "\(Self.kit)/install-agent", "--binary", "\(Self.kit)/reconciler",
            "--unit", "\(Self.kit)/units/reconciler.service",
            "--config-example", "\(Self.kit)/units/config.example.yaml", "--docs", "\(Self.kit)/docs",
        ]

        let output = try host.mustExec(install)
        #expect(output.contains("systemctl enable --now reconciler"), "\(output)")
        #expect(try Self.mode(host, "/usr/local/bin/reconciler") == "755")
        #expect(try Self.mode(host, "/etc/systemd/system/reconciler.service") == "644")
        #expect(try Self.mode(host, "/var/lib/reconciler") == "700")
        // The config may hold a token (a password in the URL): root only, as the state.
        #expect(try Self.mode(host, "/etc/reconciler/config.yaml") == "600")
        #expect(try Self.mode(host, "/etc/reconciler") == "700")
        #expect(try host.mustExec("reconciler", "--version").trimmed.isEmpty == false)
        for file in Self.docFiles { #expect(try Self.mode(host, file) == "644", "\(file)") }
        let verify = try host.exec("systemd-analyze", "verify", "/etc/systemd/system/reconciler.service")
        #expect(verify.status == 0 && verify.stderr.trimmed.isEmpty && verify.stdout.trimmed.isEmpty, "\(verify)")
        // The example installed as is is valid, and says what is missing.
        let unconfigured = try host.exec("reconciler", "diff", "--log-target", "stderr")
        #expect(unconfigured.stderr.contains("no repository is configured"), "\(unconfigured)")

        // An operator's config survives a second install, which changes nothing else.
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            "repository:\n  url: \(Self.remote)\nhost:\n  name: web1\npollInterval: 3s\n")
        try host.mustExec("chmod", "644", "/etc/reconciler/config.yaml")
        let again = try host.mustExec(install)
        #expect(again.contains("kept the existing /etc/reconciler/config.yaml"), "\(again)")
        // A config an earlier install left readable by everyone is made root-only.
        #expect(again.contains("made /etc/reconciler/config.yaml readable by root only"), "\(again)")
        #expect(try Self.mode(host, "/etc/reconciler/config.yaml") == "600")
        #expect(try host.mustExec("cat", "/etc/reconciler/config.yaml").contains(Self.remote))

        // Under the hardened unit, the agent writes a unit and podman starts its container
        // with a published port.
        try host.writeRepository(ConvergeEndToEndTests.smallServices(["web"]), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try host.mustExec("systemctl", "enable", "--now", "reconciler.service", timeout: 120)
        #expect(
            try Self.waitUntil(120) {
                try host.exec("systemctl", "is-active", "web.service").stdout.trimmed == "active"
            })
        #expect(try HTTPProbe.waitForOK("http://\(host.address):8101/", timeout: 30) != nil)
        #expect(try host.mustExec("systemctl", "is-active", "reconciler.service").trimmed == "active")
        #expect(try host.mustExec("systemctl", "show", "-P", "ProtectSystem", "reconciler.service").trimmed == "full")
        // The unit's ConfigurationDirectoryMode= keeps the credentials' directory root-only.
        #expect(try Self.mode(host, "/etc/reconciler") == "700")
        #expect(try Self.mode(host, "/etc/reconciler/config.yaml") == "600")

        // `systemctl reload` is accepted and the agent keeps running.
        let mainPID = try host.mustExec("systemctl", "show", "-P", "MainPID", "reconciler.service").trimmed
        try host.mustExec("systemctl", "reload", "reconciler.service", timeout: 60)
        usleep(1_000_000)
        #expect(try host.mustExec("systemctl", "is-active", "reconciler.service").trimmed == "active")
        #expect(try host.mustExec("systemctl", "show", "-P", "MainPID", "reconciler.service").trimmed == mainPID)

        // Uninstall: the agent stops, the unit and binary go, config and state stay; twice is fine.
        let removed = try host.mustExec("\(Self.kit)/install-agent", "--uninstall", timeout: 360)
        #expect(removed.contains("rm -rf /etc/reconciler /var/lib/reconciler"), "\(removed)")
        #expect(try host.exec("test", "-e", "/etc/systemd/system/reconciler.service").status != 0)
        #expect(try host.exec("test", "-e", "/usr/local/bin/reconciler").status != 0)
        for file in Self.docFiles { #expect(try host.exec("test", "-e", file).status != 0, "\(file) is left") }
        #expect(try host.exec("systemctl", "is-active", "reconciler.service").stdout.trimmed != "active")
        #expect(try host.mustExec("cat", "/etc/reconciler/config.yaml").contains(Self.remote))
        #expect(try host.exec("test", "-f", "/var/lib/reconciler/state.sqlite").status == 0)
        try host.mustExec("\(Self.kit)/install-agent", "--uninstall")
        // What the agent deployed keeps running without it.
        #expect(try host.mustExec("systemctl", "is-active", "web.service").trimmed == "active")
        try host.stop()
    }
}
