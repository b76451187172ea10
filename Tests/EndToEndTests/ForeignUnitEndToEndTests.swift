import Foundation
import Testing

/// A commit must not reach units of the host it does not own: not through the [Install]
/// section of a unit it ships (Alias= replacing a foreign alias, Also= disabling a foreign unit),
/// and not by naming a unit systemd already has without a file (mounts, slices, scopes).
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ForeignUnitEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote

    /// A unit of the host, enabled with an alias: /etc/systemd/system/shared.service and
    /// multi-user.target.wants/foreign.service both point at it.
    static let foreignUnit = """
        [Unit]
        Description=Not ours
        [Service]
        ExecStart=/bin/sleep infinity
        [Install]
        WantedBy=multi-user.target
        Alias=shared.service

        """

    static func rawUnit(_ name: String, _ contents: String) -> String {
        """
        apiVersion: reconciler/v1
        kind: Unit
        name: \(name)
        contents: |
        \(contents.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))

        """
    }

    /// Where the foreign unit's two links point; a missing link shows as a missing line.
    static func links(_ host: TestHost) throws -> String {
        try host.exec(
            "sh", "-c",
            "readlink /etc/systemd/system/shared.service /etc/systemd/system/multi-user.target.wants/foreign.service"
        ).stdout
    }

    @Test(.timeLimit(.minutes(60)))
    func installSectionsAndSystemUnitsOfTheHostAreNeverTouched() throws {
        let host = try TestHost.bootFresh("e2e-foreign")
        try host.writeFile("/etc/systemd/system/foreign.service", Self.foreignUnit)
        try host.mustExec("systemctl", "daemon-reload")
        try host.mustExec("systemctl", "enable", "foreign.service")
        let links = try Self.links(host)
        #expect(links == "/etc/systemd/system/foreign.service\n/etc/systemd/system/foreign.service\n")

        // Alias= naming the host's alias: enabling would replace its symlink by one to ours.
        try host.writeRepository(
            [
                "desired-state/mine.yaml": Self.rawUnit(
                    "mine.service",
                    "[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\nAlias=shared.service\n"
                )
            ], to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")
        let alias = try host.once()
        #expect(alias.status == 1, "\(alias)")
        #expect(alias.stderr.contains("Alias=shared.service"), "\(alias)")
        #expect(try Self.links(host) == links)

        // Also= naming the host's unit: disabling ours would remove the foreign unit's links.
        try host.writeFile(
            "\(Self.work)/desired-state/mine.yaml",
            Self.rawUnit(
                "mine.service",
                "[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\nAlso=foreign.service\n"
            ))
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Also the foreign unit")
        let also = try host.once()
        #expect(also.status == 1, "\(also)")
        #expect(also.stderr.contains("Also=foreign.service"), "\(also)")
        try host.mustExec("rm", "\(Self.work)/desired-state/mine.yaml")
        try host.writeFile("\(Self.work)/desired-state/.gitkeep", "")
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Nothing")
        _ = try host.once("--allow-empty")
        #expect(try Self.links(host) == links)
        #expect(try host.exec("systemctl", "is-enabled", "foreign.service").stdout.trimmed == "enabled")

        // A mount systemd has from /proc/self/mountinfo, with no unit file: never written over.
        #expect(try host.mustExec("systemctl", "show", "-p", "FragmentPath", "--value", "tmp.mount").trimmed.isEmpty)
        try host.writeFile(
            "\(Self.work)/desired-state/tmp.yaml",
            Self.rawUnit("tmp.mount", "[Mount]\nWhat=tmpfs\nWhere=/tmp\nType=tmpfs\nOptions=size=1m\n"))
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Take over /tmp")
        let mount = try host.once()
        #expect(mount.status == 1, "\(mount)")
        #expect(mount.stderr.contains("systemd already knows tmp.mount (loaded, active)"), "\(mount)")
        #expect(try host.exec("test", "-e", "/etc/systemd/system/tmp.mount").status != 0)

        // Alias= naming another unit of ours passes validation, but its file is in the way:
        // the enable fails (force=false) with a message, replaces nothing, and the release is
        // undone: the host goes back to the empty release it ran healthy ("Nothing", applied
        // with --allow-empty), so the units it added are removed again.
        try host.mustExec("rm", "\(Self.work)/desired-state/tmp.yaml")
        try host.writeFile(
            "\(Self.work)/desired-state/mine.yaml",
            Self.rawUnit("mine.service", "[Service]\nExecStart=/bin/sleep infinity\n[Install]\nAlias=other.service\n")
                + "---\n" + Self.rawUnit("other.service", "[Service]\nExecStart=/bin/sleep infinity\n"))
        try host.commitAll(work: Self.work, remote: Self.remote, message: "An alias over our own unit")
        let clash = try host.once()
        #expect(clash.status == 1, "\(clash)")
        #expect(clash.stderr.contains("would replace a file or symlink that is already there"), "\(clash)")
        #expect(clash.stderr.contains("rolled back to "), "\(clash)")
        #expect(!clash.stderr.contains("rollback was refused"), "\(clash)")
        #expect(try host.exec("test", "-e", "/etc/systemd/system/other.service").status != 0)
        #expect(try host.exec("test", "-e", "/etc/systemd/system/mine.service").status != 0)
        #expect(try Self.links(host) == links)
    }
}
