import ReconcilerCore
import ReconcilerTesting
import Testing

/// The [Install] section of a plain unit decides which symlinks enabling it creates and
/// disabling it removes; it must never reach a unit the reconciler does not own.
struct InstallSectionTests {
    static func unit(_ name: String, _ install: String) -> String {
        """
        apiVersion: reconciler/v1
        kind: Unit
        name: \(name)
        contents: |
          [Service]
          ExecStart=/bin/true
          [Install]
        \(install.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))

        """
    }

    static let other = """
        apiVersion: reconciler/v1
        kind: Unit
        name: other.service
        contents: "[Service]\\nExecStart=/bin/true\\n"

        """

    static func load(_ install: String) -> DesiredStateLoad {
        DesiredStateLoader.load(
            from: InMemoryTree(["desired-state/units.yaml": unit("mine.service", install) + "---\n" + other]))
    }

    @Test(
        "an [Install] line naming a unit the desired state does not define, or no unit, is refused",
        arguments: [
            ("Alias=sshd.service", "Alias=sshd.service"),
            ("Also=postgresql.service", "Also=postgresql.service"),
            ("Alias=other.service foreign.service", "Alias=foreign.service"),
            ("Also = other.service\nAlso=cron.service", "Also=cron.service"),
            ("WantedBy=../../etc/passwd", "WantedBy=../../etc/passwd"),
            ("RequiredBy=multi-user", "RequiredBy=multi-user"),
            ("WantedBy=%i.target", "WantedBy=%i.target"),
            ("UpheldBy=/etc/systemd/system/x.target", "UpheldBy=/etc/systemd/system/x.target"),
        ])
    func aForeignOrInvalidInstallNameIsRefused(_ install: String, _ named: String) {
        let load = Self.load(install)
        #expect(load.state == nil)
        #expect(load.diagnostics.count == 1, "\(load.diagnostics)")
        let diagnostic = load.diagnostics.first
        #expect(diagnostic?.location.file == "desired-state/units.yaml")
        #expect(diagnostic?.path == "contents", "\(load.diagnostics)")
        #expect(diagnostic?.message.contains("[Install] \(named)") == true, "\(load.diagnostics)")
    }

    @Test(
        "[Install] may want any valid target and alias or pull in units of the desired state",
        arguments: [
            "WantedBy=multi-user.target",
            "WantedBy=multi-user.target timers.target\nRequiredBy=sysinit.target",
            "Also=other.service",
            "Alias=other.service",
            "WantedBy=",
            "# Alias=sshd.service is only a comment",
        ])
    func ownedOrTargetNamesAreAccepted(_ install: String) {
        let load = Self.load(install)
        #expect(load.state != nil, "\(load.diagnostics)")
    }

    @Test("a unit's own [Install] lines in other sections are not read as install directives")
    func onlyTheInstallSectionCounts() {
        let yaml = """
            apiVersion: reconciler/v1
            kind: Unit
            name: mine.service
            contents: "[Unit]\\nX-Alias=sshd.service\\n[Service]\\nExecStart=/bin/true\\nAlias=not-install\\n"

            """
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/units.yaml": yaml]))
        #expect(load.state != nil, "\(load.diagnostics)")
    }
}
