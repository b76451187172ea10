import ArgumentParser
import Foundation
import ReconcilerCore
import Testing

@testable import ReconcilerCLI

/// `reconciler config check`: local checks on real files, and the settings it shows.
struct ConfigurationCheckTests {
    let directory: String

    init() throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("config-check-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory + "/units", withIntermediateDirectories: true)
        // A stand-in runtime program: the check only looks for an executable of that name.
        try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: directory + "/bin/podman", contents: Data(), attributes: [.posixPermissions: 0o755])
    }

    func check(_ change: (inout HostConfiguration) -> Void) -> ConfigurationCheck {
        var configuration = HostConfiguration(hostName: "web1")
        configuration.repository.url = "https://git.example/ops.git"
        configuration.stateDirectory = directory
        configuration.unitDirectory = directory + "/units"
        configuration.ageIdentity = secret("age-identity.txt", mode: 0o600)
        change(&configuration)
        return ConfigurationCheck(
            configuration: configuration, file: "/etc/reconciler/config.yaml", searchPath: [directory + "/bin"])
    }

    func secret(_ name: String, mode: Int) -> String {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("hunter2-secret\n".utf8), attributes: [.posixPermissions: mode])
        return path
    }

    @Test func aSoundConfigurationHasNoFindings() {
        let token = secret("token", mode: 0o600)
        #expect(check { $0.repository.credentials.passwordFile = token }.findings() == [])
    }

    @Test func aSecretOthersCanReadIsAnErrorNamingTheFieldAndTheFix() throws {
        let token = secret("token", mode: 0o644)
        let finding = try #require(check { $0.repository.credentials.passwordFile = token }.findings().first)
        #expect(finding.severity == .error)
        #expect(finding.field == "repository.credentials.passwordFile")
        #expect(finding.message == "\(token) has mode 644, so other users can read the secret; run chmod 600 \(token)")
        #expect(
            finding.description.hasPrefix("/etc/reconciler/config.yaml: error: repository.credentials.passwordFile: "))
    }

    @Test func missingFilesFoldersAndRuntimeAreReported() {
        let findings = check {
            $0.repository.credentials.sshKeyFile = directory + "/missing-key"
            $0.repository.credentials.knownHostsFile = directory + "/missing-known-hosts"
            $0.unitDirectory = directory + "/no-units"
            $0.runtime = .docker
        }.findings()
        #expect(
            findings.map(\.field) == [
                "repository.credentials.sshKeyFile", "repository.credentials.knownHostsFile", "unitDirectory",
                "runtime",
            ])
        #expect(findings.last?.message.hasPrefix("docker is not installed") == true)
    }

    @Test func anAgeIdentityOthersCanReadIsAnErrorAndAMissingOneAWarning() throws {
        let readable = secret("readable-identity.txt", mode: 0o644)
        let error = try #require(check { $0.ageIdentity = readable }.findings().first)
        #expect(error.severity == .error)
        #expect(error.field == "ageIdentity")
        #expect(error.message.hasSuffix("make it owner-only: chmod 0600 \(readable)"))
        let missing = try #require(check { $0.ageIdentity = directory + "/no-identity.txt" }.findings().first)
        #expect(missing.severity == .warning)
        #expect(missing.message.contains("commits with secrets will be refused"))
    }

    @Test func noRepositoryIsAnError() {
        #expect(check { $0.repository.url = nil }.findings().map(\.field) == ["repository.url"])
    }

    @Test(
        arguments: [
            ("/srv/desired.git", nil), ("file:///srv/desired.git", nil), ("git@git.example:ops.git", nil),
            ("ssh://git@git.example:2222/ops.git", nil), ("https://ada:pw@git.example/ops.git", nil),
            ("ftp://git.example/ops.git", "unknown scheme 'ftp'"), ("https:///ops.git", "names no server"),
            ("desired.git", "is neither an absolute path nor a URL"),
        ] as [(String, String?)])
    func urlForms(url: String, problem: String?) {
        let found = ConfigurationCheck.urlProblem(url)
        if let problem {
            #expect(found?.contains(problem) == true, "\(found ?? "nil")")
        } else {
            #expect(found == nil)
        }
    }

    @Test func theSettingsHideThePasswordAndNeverShowACredentialFilesContents() {
        let token = secret("token", mode: 0o600)
        let settings = check {
            $0.repository.url = "https://ada:pw-in-url@git.example/ops.git"
            $0.repository.reference = .tag("production")
            $0.repository.credentials.passwordFile = token
            $0.webhooks = [
                WebhookConfiguration(url: "https://hooks.example/services/T0KEN-in-path", events: [.failed])
            ]
        }.settings
        let text = settings.map { "\($0.key)=\($0.value)" }
        #expect(text.contains("repository.url=https://ada:***@git.example/ops.git"))
        #expect(text.contains("repository.tag=production"))
        #expect(text.contains("notifications.webhooks[0].url=https://hooks.example/…"))
        #expect(!text.joined().contains("T0KEN-in-path"))
        #expect(text.contains("repository.credentials.passwordFile=\(token)"))
        #expect(!text.joined().contains("pw-in-url"))
        #expect(!text.joined().contains("hunter2"))
    }

    @Test func theReportsRepositoryIsCheckedAndShownWithoutItsPassword() {
        let loose = secret("reports-token", mode: 0o644)
        let report = check {
            $0.fleet = FleetConfiguration(
                reports: FleetReportsRepository(
                    url: "https://bot:pw-in-reports@git.example/reports.git",
                    credentials: GitCredentials(passwordFile: loose)))
        }
        #expect(report.findings().map(\.field) == ["fleet.reports.credentials.passwordFile"])
        let text = report.settings.map { "\($0.key)=\($0.value)" }
        #expect(text.contains("fleet.reports.url=https://bot:***@git.example/reports.git"))
        #expect(text.contains("fleet.reports.credentials=its own"))
        #expect(!text.joined().contains("pw-in-reports"))
        let shared = check { $0.fleet = FleetConfiguration(reports: FleetReportsRepository(url: "ftp://x/r.git")) }
        #expect(shared.findings().map(\.field) == ["fleet.reports.url"])
        #expect(
            shared.settings.contains { $0.key == "fleet.reports.credentials" && $0.value == "repository.credentials" })
    }

    @Test func aFileWithMistakesIsReportedByLineAndFieldWithoutSettings() throws {
        let file = directory + "/config.yaml"
        try "repository:\n  url: /srv/desired.git\n  brnch: main\npollInterval: soon\n".write(
            toFile: file, atomically: true, encoding: .utf8)

        let report = ConfigCheckReport(options: try HostConfigurationOptions.parse(["--config", file]))

        #expect(!report.valid)
        #expect(report.settings == nil)
        #expect(report.diagnostics.map(\.field) == ["repository.brnch", "pollInterval"])
        #expect(
            report.text.contains("\(file):3:3: error: repository.brnch: unknown key 'brnch'; did you mean 'branch'?"))
        #expect(report.text.hasSuffix("invalid: 2 errors"))
    }

    @Test func flagsOverrideTheFileInTheEffectiveSettings() throws {
        let file = directory + "/config.yaml"
        try "repository:\n  url: /srv/desired.git\n  branch: main\nunitDirectory: \(directory)/units\n".write(
            toFile: file, atomically: true, encoding: .utf8)

        let report = ConfigCheckReport(
            options: try HostConfigurationOptions.parse(["--config", file, "--tag", "v2", "--host", "db1"]))

        #expect(report.settings?["repository.tag"] == "v2")
        #expect(report.settings?["repository.branch"] == nil)
        #expect(report.settings?["host.name"] == "db1")
        #expect(report.settings?["repository.url"] == "/srv/desired.git")
    }
}
