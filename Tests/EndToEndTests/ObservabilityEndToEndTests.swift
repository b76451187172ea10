import Foundation
import Testing

/// Metrics and webhooks on real hosts: Debian's node_exporter serves the reconciler's text
/// file, whose values follow a deploy, a rollback and a suspension; the agent posts each
/// event to a receiver exactly once, even when the receiver was down when it happened.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ObservabilityEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote
    static let textfile = "/var/lib/prometheus/node-exporter/reconciler.prom"

    /// node_exporter's /metrics inside the host, only the reconciler's lines.
    static func scrape(_ host: TestHost) throws -> [String] {
        let text = try host.mustExec(
            "curl", "-fsS", "--retry", "20", "--retry-connrefused", "--retry-delay", "1",
            "http://127.0.0.1:9100/metrics")
        #expect(text.contains("node_textfile_scrape_error 0"), "node_exporter could not read the file")
        return text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("reconciler_") }
    }

    @Test(.timeLimit(.minutes(60)))
    func nodeExporterServesMetricsThatFollowADeployARollbackAndASuspension() throws {
        let host = try ReleaseSafetyEndToEndTests.prepare(
            "e2e-obs", files: ConvergeEndToEndTests.smallServices(["web"]))
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            // No metrics section: node_exporter's textfile directory exists on the host, so the
            // file goes there by default.
            "repository:\n  url: \(Self.remote)\nhost:\n  name: web1\n")
        try host.mustExec("systemctl", "start", "prometheus-node-exporter.service")

        #expect(try host.once().status == 0)
        let good = try host.git(Self.work, "rev-parse", "HEAD").trimmed
        let deployed = try Self.scrape(host)
        #expect(deployed.contains("reconciler_last_sync_result{result=\"converged\"} 1"), "\(deployed)")
        #expect(deployed.contains("reconciler_applied_commit_info{commit=\"\(good)\"} 1"))
        #expect(deployed.contains("reconciler_healthy_commit_info{commit=\"\(good)\"} 1"))
        #expect(deployed.contains("reconciler_last_sync_success 1"))
        #expect(deployed.contains("reconciler_rollbacks_total 0"))
        #expect(deployed.contains("reconciler_suspended 0"))
        #expect(deployed.contains { $0.hasPrefix("reconciler_drift_actions ") && !$0.hasSuffix(" 0") })
        let applySeconds = deployed.first { $0.hasPrefix("reconciler_last_apply_duration_seconds ") }
            .flatMap { Double($0.split(separator: " ")[1]) }
        #expect((applySeconds ?? 0) > 0, "\(deployed)")
        print("metrics after the first deploy: \(deployed.filter { $0.contains("duration") })")

        // A release whose unit cannot start is rolled back: the counter and the quarantine show it.
        try host.writeFile("\(Self.work)/desired-state/web.yaml", ReleaseSafetyEndToEndTests.webThatCannotStart)
        let bad = try host.commitAll(work: Self.work, remote: Self.remote, message: "Run a program the image lacks")
        #expect(try host.once().status == 1)
        let rolledBack = try Self.scrape(host)
        #expect(rolledBack.contains("reconciler_last_sync_result{result=\"rolled-back\"} 1"), "\(rolledBack)")
        #expect(rolledBack.contains("reconciler_last_sync_success 0"))
        #expect(rolledBack.contains("reconciler_rollbacks_total 1"))
        #expect(rolledBack.contains("reconciler_quarantined_commits 1"))
        #expect(rolledBack.contains("reconciler_quarantined_commit_info{commit=\"\(bad)\"} 1"))
        #expect(rolledBack.contains("reconciler_applied_commit_info{commit=\"\(good)\"} 1"))

        // Held still: the suspension and its reason, and the counter kept by a new process.
        try host.mustExec("reconciler", "suspend", "--reason", "incident \"9\"")
        #expect(try host.once().status == 0)
        let suspended = try Self.scrape(host)
        #expect(suspended.contains("reconciler_suspended{reason=\"incident \\\"9\\\"\"} 1"), "\(suspended)")
        #expect(suspended.contains("reconciler_last_sync_result{result=\"suspended\"} 1"))
        #expect(suspended.contains("reconciler_rollbacks_total 1"))
        let mode = try host.mustExec("stat", "-c", "%a", Self.textfile).trimmed
        #expect(mode == "644", "node_exporter (user prometheus) must read it")
        try host.stop()
    }

    static let receiver = """
        import http.server, sys
        port, log = int(sys.argv[1]), sys.argv[2]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with open(log, "ab") as f:
                    f.write(body.replace(b"\\n", b" ") + b"\\n")
                self.send_response(200)
                self.end_headers()
            def log_message(self, *args):
                pass
        http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """

    /// The events the receiver got, in order.
    static func received(_ host: TestHost) -> [[String: Any]] {
        let text = (try? host.mustExec("cat", "/srv/received")) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test(.timeLimit(.minutes(60)))
    func theAgentPostsEachEventOnceAndRetriesThroughAnOutageOfTheReceiver() throws {
        let host = try TestHost.bootFresh("e2e-hook")
        try host.writeRepository(ConvergeEndToEndTests.smallServices(["web"]), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try host.writeFile("/srv/receiver.py", Self.receiver)
        let startReceiver = [
            "systemd-run", "--unit=hook-receiver", "--collect", "python3", "/srv/receiver.py", "8175", "/srv/received",
        ]
        try host.mustExec(startReceiver)
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            """
            repository:
              url: \(Self.remote)
            host:
              name: web1
            pollInterval: 3s
            notifications:
              webhooks:
                - url: http://127.0.0.1:8175/hooks/T0KEN-E2E-SECRET
                  timeout: 2s

            """)
        try host.copy(
            Testbed.repositoryRoot + "/units/reconciler.service", to: "/etc/systemd/system/reconciler.service")
        try host.mustExec("systemctl", "daemon-reload")
        try host.mustExec("systemctl", "start", "reconciler.service", timeout: 120)
        let good = try host.git(Self.work, "rev-parse", "HEAD").trimmed

        #expect(try AgentEndToEndTests.waitUntil(120) { Self.received(host).count == 1 })
        let deployed = try #require(Self.received(host).first)
        #expect(deployed["event"] as? String == "deployed")
        #expect(deployed["commit"] as? String == good)
        #expect((deployed["text"] as? String)?.contains("[web1] deployed \(good.prefix(12))") == true)

        // The receiver goes away; a bad release is rolled back while it is down.
        try host.mustExec("systemctl", "stop", "hook-receiver.service")
        try host.writeFile("\(Self.work)/desired-state/web.yaml", ReleaseSafetyEndToEndTests.webThatCannotStart)
        let bad = try host.commitAll(work: Self.work, remote: Self.remote, message: "Run a program the image lacks")
        #expect(
            try AgentEndToEndTests.waitUntil(180) {
                try host.mustExec("journalctl", "-u", "reconciler.service", "--no-pager")
                    .contains("notification rolled-back not delivered")
            })
        try host.mustExec(startReceiver)
        let back = Date()

        // Retried with backoff, it arrives once; later polls send nothing new.
        #expect(try AgentEndToEndTests.waitUntil(120) { Self.received(host).count == 2 })
        print("the rolled-back event arrived \(Int(Date().timeIntervalSince(back))) s after the receiver came back")
        sleep(12)
        var events = Self.received(host)
        #expect(events.map { $0["event"] as? String } == ["deployed", "rolled-back"], "\(events)")
        #expect(events.last?["commit"] as? String == bad)

        // A fixed commit (on another port, so it is a new release) is deployed, and the host has recovered.
        let fixedWeb = ConvergeEndToEndTests.smallServices(["web"], firstPort: 8104)["desired-state/web.yaml"] ?? ""
        try host.writeFile("\(Self.work)/desired-state/web.yaml", fixedWeb)
        let fixed = try host.commitAll(work: Self.work, remote: Self.remote, message: "Run the server again")
        #expect(try AgentEndToEndTests.waitUntil(120) { Self.received(host).count == 4 })
        sleep(8)
        events = Self.received(host)
        #expect(
            events.map { $0["event"] as? String } == ["deployed", "rolled-back", "deployed", "recovered"], "\(events)")
        #expect(events.last?["commit"] as? String == fixed)
        #expect(Set(events.compactMap { $0["id"] as? String }).count == events.count)

        // The URL's token is nowhere: the journal, the store, status.
        let journal = try host.mustExec("journalctl", "--no-pager", "-o", "verbose")
        #expect(!journal.contains("T0KEN-E2E-SECRET"))
        #expect(journal.contains("http://127.0.0.1:8175/…"))
        let store = try host.exec("sh", "-c", "cat /var/lib/reconciler/state.sqlite* | grep -c T0KEN-E2E-SECRET")
        #expect(store.stdout.trimmed == "0", "\(store)")
        #expect(!(try host.mustExec("reconciler", "status")).contains("T0KEN"))
        try host.stop()
    }
}
