import Foundation
import Testing

/// Runs that are killed, run twice at once, or asked about in JSON.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct RunSafetyEndToEndTests {
    @Test(.timeLimit(.minutes(60)))
    func aRunKilledMidwayIsFinishedByTheNextAndRunsNeverInterleave() throws {
        let host = try TestHost.bootFresh("e2e-crash")
        let work = ConvergeEndToEndTests.work
        try host.writeRepository(ConvergeEndToEndTests.smallServices(["web"]), to: work)
        try host.initRepository(work: work, remote: ConvergeEndToEndTests.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")
        #expect(try host.once().status == 0)

        // Three new services; the run is killed with SIGKILL a moment into applying them.
        for (path, text) in ConvergeEndToEndTests.smallServices(["a1", "a2", "a3"], firstPort: 8120) {
            try host.writeFile("\(work)/\(path)", text)
        }
        let commit = try host.commitAll(work: work, remote: ConvergeEndToEndTests.remote, message: "Three more")
        // Killed as soon as the journal shows its first start job: unit files are written and
        // systemd reloaded, but the services are not all started. A fixed delay was either too
        // short or too long depending on the machine's load.
        let killer = """
            reconciler once --log-target journal & run=$!
            for _ in $(seq 1 1000); do
                journalctl -q -o cat -t reconciler RECONCILER_COMMIT=\(commit) RECONCILER_ACTION=start | grep -q . && break
                sleep 0.01
            done
            kill -KILL $run; wait $run; echo "status=$?"
            """
        let killed = try host.mustExec("sh", "-c", killer)
        #expect(killed.contains("status=137"), "the run finished before it could be killed: \(killed)")

        let next = try host.once()
        #expect(next.status == 0, "\(next)")
        #expect(try host.diff().status == 0)
        for name in ["a1", "a2", "a3", "web"] {
            #expect(try host.mustExec("systemctl", "is-active", "\(name).service").trimmed == "active")
        }
        // No temporary or half-written unit file is left behind.
        let files = try host.mustExec("ls", "-a", "/etc/systemd/system")
        #expect(!files.contains(".reconciler-"))
        let interrupted = try host.journalEntries("-t", "reconciler", "RECONCILER_COMMIT=\(commit)")
        #expect(
            interrupted.contains { ($0["MESSAGE"] as? String)?.contains("was interrupted") == true }
                || next.stdout.contains("converged"))

        // Two runs at once: the second one says who holds the lock and changes nothing.
        try host.writeFile(
            "\(work)/desired-state/a4.yaml",
            ConvergeEndToEndTests.smallServices(["a4"], firstPort: 8130)["desired-state/a4.yaml"] ?? "")
        try host.commitAll(work: work, remote: ConvergeEndToEndTests.remote, message: "One more")
        let both = try host.mustExec(
            "sh", "-c",
            "reconciler once --log-target journal >/tmp/first.out 2>&1 & sleep 0.4; reconciler once --log-target journal 2>&1; echo \"second=$?\"; wait; echo \"first=$?\""
        )
        #expect(both.contains("first=0"), "\(both)")
        #expect(both.contains("second=1") || both.contains("second=0"), "\(both)")
        if both.contains("second=1") { #expect(both.contains("holds the lock"), "\(both)") }
        #expect(try host.diff().status == 0)

        try diffSpeaksJSONAndExitsTwoOnErrors(host)
    }

    /// Runs on the host the test above converged (tests of a suite may run in any order).
    private func diffSpeaksJSONAndExitsTwoOnErrors(_ host: TestHost) throws {
        let json = try host.diff("--output", "json")
        #expect(json.status == 0 || json.status == 1, "\(json)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["commit"] as? String != nil)
        #expect(object?["inSync"] as? Bool != nil)

        let broken = try host.diff("--repo", "/srv/does-not-exist.git")
        #expect(broken.status == 2, "\(broken)")
        #expect(broken.stderr.contains("there is no repository at /srv/does-not-exist.git"))

        try host.writeFile("/var/tmp/bad-config.yaml", "repository:\n  branchh: main\n")
        let badConfig = try host.diff("--config", "/var/tmp/bad-config.yaml")
        #expect(badConfig.status == 2, "\(badConfig)")
        #expect(badConfig.stderr.contains("/var/tmp/bad-config.yaml:2:3"))

        // A missing desired-state folder is an error, never an empty desired state.
        let missing = try host.once("--path", "no-such-folder")
        #expect(missing.status == 1, "\(missing)")
        #expect(try host.mustExec("systemctl", "is-active", "web.service").trimmed == "active")
    }
}
