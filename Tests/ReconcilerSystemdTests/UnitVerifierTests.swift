import Foundation
import ReconcilerCore
import Testing

@testable import ReconcilerSystemd

/// `systemd-analyze verify` (systemd 252) run for real: it needs no running systemd, only the
/// executables the units name (/usr/bin/podman is installed here, as on the test hosts).
struct UnitVerifierTests {
    /// The repository's desired-state folder, for the blog's plain unit files.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func blogService() -> RenderedUnit {
        let blog = ServiceSpec(
            name: "blog", description: "Flaskr blog",
            image: .build(BuildSpec(context: ".", dockerfile: "Dockerfile", arguments: ["BASE": "python:3.11-slim"])),
            ports: [PortMapping(hostPort: 8080, containerPort: 8080)],
            environment: ["FLASKR_DATABASE": "/data/flaskr.sqlite"],
            volumes: [VolumeMount(source: "blog-data", target: "/data")],
            user: "1000:1000",
            location: SourceLocation(file: "desired-state/blog.yaml", line: 2, column: 1))
        return ServiceRenderer(runtime: .podman).render(blog, image: ImageNaming.built(service: "blog", tag: "0a1b2c"))
    }

    static func repositoryUnit(_ name: String) throws -> (name: String, contents: String) {
        let path = repository.appendingPathComponent("desired-state/files/\(name)").path
        return (name, try String(contentsOfFile: path, encoding: .utf8))
    }

    static func verify(_ name: String, _ lines: [String]) throws -> [UnitProblem] {
        try UnitVerifier.verify(units: [(name, lines.joined(separator: "\n") + "\n")])
    }

    @Test func theRenderedBlogUnitsHaveNoProblems() throws {
        let units = [
            (name: "blog.service", contents: Self.blogService().contents),
            try Self.repositoryUnit("blog-backup.service"),
            try Self.repositoryUnit("blog-backup.timer"),
        ]

        #expect(try UnitVerifier.verify(units: units) == [])
    }

    @Test func thePostgreSQLBackupUnitsHaveNoProblems() throws {
        let units = [
            // The database's own unit is rendered like the blog's; its contents do not matter here.
            (name: "blog-db.service", contents: Self.blogService().contents),
            try Self.repositoryUnit("blog-db-backup.service"),
            try Self.repositoryUnit("blog-db-backup.timer"),
        ]

        #expect(try UnitVerifier.verify(units: units) == [])
    }

    @Test func unitsOfOneBatchMayRequireEachOther() throws {
        let backup = (
            name: "backup.service", contents: "[Unit]\nRequires=blog.service\n[Service]\nExecStart=/usr/bin/podman ps\n"
        )

        #expect(try UnitVerifier.verify(units: [backup, ("blog.service", Self.blogService().contents)]) == [])
    }

    @Test func aMisspelledKeyIsAnErrorOnItsLine() throws {
        let problems = try Self.verify(
            "typo.service", ["[Unit]", "Description=Typo", "", "[Service]", "ExecStrat=/usr/bin/podman ps"])

        #expect(
            problems == [
                UnitProblem(
                    unit: "typo.service", line: 5, severity: .error,
                    message: "Unknown key 'ExecStrat' in section [Service], ignoring."),
                UnitProblem(
                    unit: "typo.service", severity: .error,
                    message: "Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing."),
            ])
        #expect(
            problems.first?.description
                == "typo.service:5: error: Unknown key 'ExecStrat' in section [Service], ignoring.")
    }

    @Test func invalidValuesAreErrorsAlthoughSystemdAnalyzeExitsZero() throws {
        let problems = try Self.verify(
            "values.service",
            ["[Service]", "Type=notifyy", "Restart=sometimes", "RestartSec=5 parsecs", "ExecStart=/usr/bin/podman ps"])

        #expect(
            problems == [
                UnitProblem(
                    unit: "values.service", line: 2, severity: .error,
                    message: "Failed to parse service type, ignoring: notifyy"),
                UnitProblem(
                    unit: "values.service", line: 3, severity: .error,
                    message: "Failed to parse service restart specifier, ignoring: sometimes"),
                UnitProblem(
                    unit: "values.service", line: 4, severity: .error,
                    message: "Failed to parse sec value, ignoring: 5 parsecs"),
            ])
    }

    @Test func aServiceWithoutExecStartIsRefused() throws {
        let problems = try Self.verify(
            "noexec.service", ["[Unit]", "Description=Nothing to run", "[Service]", "Restart=always"])

        #expect(
            problems == [
                UnitProblem(
                    unit: "noexec.service", severity: .error,
                    message: "Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.")
            ])
    }

    @Test func aMissingExecutableIsAnError() throws {
        let problems = try Self.verify("missing.service", ["[Service]", "ExecStart=/usr/bin/reconciler-absent --flag"])

        #expect(
            problems == [
                UnitProblem(
                    unit: "missing.service", severity: .error,
                    message: "Command /usr/bin/reconciler-absent is not executable: No such file or directory")
            ])
    }

    @Test func aBrokenSectionHeaderIsAnError() throws {
        let problems = try Self.verify("header.service", ["[Service", "ExecStart=/usr/bin/podman ps"])

        #expect(
            problems == [
                UnitProblem(
                    unit: "header.service", line: 1, severity: .error, message: "Invalid section header '[Service'")
            ])
    }

    @Test func aMisspelledSectionIsAnError() throws {
        let problems = try Self.verify(
            "section.service", ["[Unit]", "Description=x", "[Servce]", "ExecStart=/usr/bin/podman ps"])

        #expect(problems.map(\.severity) == [.error, .error])
        #expect(
            problems.first
                == UnitProblem(
                    unit: "section.service", line: 3, severity: .error, message: "Unknown section 'Servce'. Ignoring."))
    }

    @Test func aDependencyThatIsNotInstalledIsOnlyAWarning() throws {
        let absent = "reconciler-absent-\(UUID().uuidString.prefix(8).lowercased()).service"
        let problems = try Self.verify(
            "dependent.service",
            [
                "[Unit]", "Requires=\(absent)", "After=\(absent)", "Wants=\(absent)", "[Service]",
                "ExecStart=/usr/bin/podman ps",
            ])

        #expect(
            problems == [
                UnitProblem(
                    unit: "dependent.service", severity: .warning,
                    message: "Failed to create dependent.service/start: Unit \(absent) not found.")
            ])
        #expect(problems.allSatisfy { !$0.isBlocking })
    }

    @Test func deprecatedSettingsAreWarnings() throws {
        let problems = try Self.verify(
            "old.service", ["[Service]", "ExecStart=/usr/bin/podman ps", "MemoryLimit=1G", "StandardOutput=syslog"])

        #expect(
            problems == [
                UnitProblem(
                    unit: "old.service", line: 3, severity: .warning,
                    message:
                        "Unit uses MemoryLimit=; please use MemoryMax= instead. Support for MemoryLimit= will be removed soon."
                ),
                UnitProblem(
                    unit: "old.service", line: 4, severity: .warning,
                    message:
                        "Standard output type syslog is obsolete, automatically updating to journal. Please update your unit file, and consider removing the setting altogether."
                ),
            ])
    }

    @Test func aTimerWithoutATriggerIsRefused() throws {
        let problems = try Self.verify("never.timer", ["[Timer]", "OnCalendar=every tuesday-ish"])

        #expect(
            problems == [
                UnitProblem(
                    unit: "never.timer", line: 2, severity: .error,
                    message: "Failed to parse calendar specification, ignoring: every tuesday-ish"),
                UnitProblem(
                    unit: "never.timer", severity: .error, message: "Timer unit lacks value setting. Refusing."),
            ])
    }

    @Test func aMissingSystemdAnalyzeIsAClearError() throws {
        let error = #expect(throws: UnitVerifierError.self) {
            try UnitVerifier.verify(
                units: [("a.service", "[Service]\nExecStart=/usr/bin/podman ps\n")],
                executable: "/nonexistent/systemd-analyze")
        }

        #expect(
            error?.description
                == "verify a.service with systemd-analyze: cannot start /nonexistent/systemd-analyze: No such file or directory"
        )
    }

    @Test func aNameThatIsNotAFileNameIsRefused() throws {
        #expect(throws: UnitVerifierError.self) { try UnitVerifier.verify(units: [("../x.service", "")]) }
    }
}
