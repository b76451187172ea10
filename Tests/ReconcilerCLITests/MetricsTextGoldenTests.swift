import Foundation
import Logging
import ReconcilerCore
import ReconcilerTesting
import Testing

@testable import ReconcilerCLI

/// The Prometheus text file for several states must equal `Fixtures/metrics/<case>.prom`
/// byte for byte (RECONCILER_UPDATE_GOLDEN=1 rewrites them), and node_exporter itself must
/// read every one of them without a scrape error.
struct MetricsTextGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/metrics")
    static let finished = Date(timeIntervalSince1970: 1_796_000_000.25)
    static let applied = "1111111111111111111111111111111111111111"
    static let bad = "2222222222222222222222222222222222222222"

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var outcome: RunOutcome
        var rollbacks: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "deployed",
            outcome: RunOutcome(
                trigger: "poll", finishedAt: finished, commit: applied, result: .converged, actions: 4, drift: 4,
                syncSeconds: 12.5, applySeconds: 9.75, release: 3, healthy: ["blog"],
                summary: StoreSummary(
                    lastApplied: CommitMark(commit: applied, at: finished),
                    lastHealthy: CommitMark(commit: applied, at: finished))),
            rollbacks: 0),
        Case(
            name: "rolled-back",
            outcome: RunOutcome(
                trigger: "poll", finishedAt: finished, commit: bad, result: .rolledBack, drift: 2, syncSeconds: 40,
                applySeconds: 6, release: 4, message: "the health check of blog did not pass",
                summary: StoreSummary(
                    lastApplied: CommitMark(commit: applied, at: finished),
                    lastHealthy: CommitMark(commit: applied, at: finished),
                    quarantined: [QuarantinedCommit(commit: bad, reason: "health", at: finished)])),
            rollbacks: 2),
        Case(
            name: "suspended",
            outcome: RunOutcome(
                trigger: "signal", finishedAt: finished, commit: applied, result: .suspended, actions: 1, drift: 1,
                syncSeconds: 0.125, suspended: "incident \"42\": C:\\temp\nsecond line",
                summary: StoreSummary(lastApplied: CommitMark(commit: applied, at: finished))),
            rollbacks: 1),
        Case(
            name: "store-unreadable",
            outcome: RunOutcome(
                trigger: "once", finishedAt: finished, commit: nil, result: .failed, syncSeconds: 0.001,
                message: "cannot open the state store"),
            rollbacks: 0),
    ]

    @Test(arguments: cases)
    func renderedTextMatchesTheGoldenFile(_ state: Case) throws {
        let text = MetricsText.render(state.outcome, rollbacks: state.rollbacks)
        let golden = Self.fixtures.appendingPathComponent("\(state.name).prom")
        if ProcessInfo.processInfo.environment["RECONCILER_UPDATE_GOLDEN"] == "1" {
            try text.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOf: golden, encoding: .utf8)))
        #expect(MetricsText.rollbacks(in: text) == state.rollbacks)
    }

    @Test(
        "label values escape backslash, double quote and line feed",
        arguments: [
            ("plain", "plain"), ("a\\b", "a\\\\b"), ("say \"hi\"", "say \\\"hi\\\""), ("one\ntwo", "one\\ntwo"),
            ("ünï ✓", "ünï ✓"),
        ])
    func labelEscaping(raw: String, escaped: String) {
        #expect(MetricsText.escapeLabel(raw) == escaped)
    }

    @Test("every metric the renderer writes is named in MetricsText.names, in order")
    func namesAreComplete() {
        let text = MetricsText.render(Self.cases[1].outcome, rollbacks: 1)
        let typed = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map {
            String($0.split(separator: " ")[2])
        }
        #expect(typed == MetricsText.names)
    }

    @Test("node_exporter's textfile collector reads every golden file without a scrape error")
    func nodeExporterParsesTheFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for state in Self.cases {
            // node_exporter refuses the same metric in two files: one file per scrape.
            let file = directory.appendingPathComponent("reconciler.prom")
            try MetricsText.render(state.outcome, rollbacks: state.rollbacks)
                .write(to: file, atomically: true, encoding: .utf8)
            let scrape = try Self.scrape(directory: directory.path)
            #expect(scrape.contains("node_textfile_scrape_error 0"), "\(state.name): \(scrape)")
            #expect(scrape.contains("reconciler_rollbacks_total \(state.rollbacks)"), "\(state.name)")
            #expect(scrape.contains("reconciler_last_sync_result{result=\"\(state.outcome.result.rawValue)\"} 1"))
        }
    }

    /// One scrape of a node_exporter that reads only `directory`, on this test's own port.
    static func scrape(directory: String) throws -> String {
        let script = """
            prometheus-node-exporter --collector.disable-defaults --collector.textfile \
              --collector.textfile.directory="$1" --web.listen-address=127.0.0.1:8171 >/dev/null 2>&1 &
            pid=$!
            for i in $(seq 1 50); do
              if curl -fsS http://127.0.0.1:8171/metrics; then kill $pid; exit 0; fi
              sleep 0.1
            done
            kill $pid; exit 1
            """
        let run = try ToolRun.run("/bin/sh", ["-c", script, "sh", directory], timeout: 30)
        try #require(run.status == 0, "node_exporter did not answer: \(run)")
        return run.standardOutput
    }
}

/// The file is written atomically, and its rollback counter carries on from the previous file.
struct MetricsTextfileTests {
    @Test("each rollback adds one to the counter read back from the previous file")
    func rollbackCounterSurvivesRestarts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("reconciler.prom").path
        let rolledBack = MetricsTextGoldenTests.cases[1].outcome
        let deployed = MetricsTextGoldenTests.cases[0].outcome

        // A fresh writer each time, as each `reconciler once` process makes one.
        for outcome in [rolledBack, deployed, rolledBack] {
            MetricsTextfile(path: path, logger: .init(label: "test")).runFinished(outcome)
        }

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(MetricsText.rollbacks(in: text) == 2)
        #expect(text.contains("reconciler_last_sync_result{result=\"rolled-back\"} 1"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["reconciler.prom"], "no temporary file is left beside it")
    }

    @Test("a metrics file that cannot be written does not fail the run")
    func unwritableDirectory() {
        let path = "/nonexistent-\(UUID().uuidString)/reconciler.prom"
        MetricsTextfile(path: path, logger: .init(label: "test")).runFinished(MetricsTextGoldenTests.cases[0].outcome)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
