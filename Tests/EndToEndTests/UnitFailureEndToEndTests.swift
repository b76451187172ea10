import Foundation
import Testing

/// A unit that fails to start is reported with why: the lines it logged, quoted once, under
/// an error that names the step once.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct UnitFailureEndToEndTests {
    static let marker = "broken-marker-4711 cannot open /data/flaskr.sqlite"

    static let desired = [
        "desired-state/broken.yaml": """
        apiVersion: reconciler/v1
        kind: Unit
        name: broken.service
        contents: |
          [Unit]
          Description=Prints why it cannot run, then fails
          [Service]
          Type=oneshot
          ExecStart=/bin/sh -c 'echo \(marker); printf "\\\\033[31mred-alert\\\\n"; exit 1'
          [Install]
          WantedBy=multi-user.target

        """
    ]

    static func occurrences(of part: String, in text: String) -> Int {
        text.components(separatedBy: part).count - 1
    }

    @Test(.timeLimit(.minutes(60)))
    func aUnitThatFailsToStartIsReportedWithItsLogOnce() throws {
        let host = try TestHost.bootFresh("e2e-unitf")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeRepository(Self.desired, to: ConvergeEndToEndTests.work)
        try host.initRepository(work: ConvergeEndToEndTests.work, remote: ConvergeEndToEndTests.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")

        let run = try host.once()
        #expect(run.status == 1, "\(run)")
        #expect(Self.occurrences(of: Self.marker, in: run.stderr) == 1, "\(run)")
        // The step is named once ("Failed to start broken.service - ..." is systemd's own line).
        #expect(Self.occurrences(of: "start broken.service: ", in: run.stderr) == 1, "\(run)")
        #expect(run.stderr.contains("status=1/FAILURE"), "\(run)")
        // Its output is quoted with control characters shown, never sent to the terminal.
        #expect(run.stderr.contains("\\x1b[31mred-alert"), "\(run)")
        #expect(!run.stderr.contains("\u{1B}"), "\(run)")

        // The same error is what status and history show later.
        let status = try host.mustExec("reconciler", "status")
        #expect(Self.occurrences(of: Self.marker, in: status) == 1, "\(status)")
        #expect(!status.contains("\u{1B}"), "\(status)")
        let history = try host.mustExec("reconciler", "history")
        #expect(Self.occurrences(of: Self.marker, in: history) == 1, "\(history)")
        #expect(!history.contains("\u{1B}"), "\(history)")
        #expect(!history.contains("start broken.service: start broken.service"), "\(history)")

        // diff shows a hostile commit summary as text too.
        try host.writeFile("\(ConvergeEndToEndTests.work)/README", "next\n")
        try host.commitAll(
            work: ConvergeEndToEndTests.work, remote: ConvergeEndToEndTests.remote, message: "deploy \u{1B}[2Jnow")
        let diff = try host.diff()
        #expect(diff.stdout.contains("deploy \\x1b[2Jnow"), "\(diff)")
        #expect(!diff.stdout.contains("\u{1B}"), "\(diff)")
        try host.stop()
    }
}
