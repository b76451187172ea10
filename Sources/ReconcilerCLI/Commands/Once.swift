import ArgumentParser
import Foundation
import Logging
import ReconcilerCore
import ReconcilerEngine

extension Reconciler {
    struct Once: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sync this host now: fetch, validate, plan, apply, verify health, record.",
            discussion: """
                Exits 0 when the host converged (or was already in sync) and 1 when the run failed; \
                the host then stays on its last good state and the reason is printed and logged.
                """)

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        @Flag(name: .long, help: "Wait for a run already in progress instead of exiting.")
        var wait = false

        @Option(name: .long, help: "Output format: text or json.")
        var output: OutputFormat = .text

        func run() throws {
            let logger = global.makeLogger()
            let configuration = try host.load()
            let reconciliation = Composition.reconciliation(configuration, logger: logger)
            let outcome: Result<RunReport, ReconcileError>
            do throws(ReconcileError) {
                outcome = .success(try reconciliation.once(waitForLock: wait))
            } catch {
                outcome = .failure(error)
            }
            switch (outcome, output) {
            case (.success(let report), .json): print(try JSONOutput.encode(OnceOutput(report: report, error: nil)))
            case (.success(let report), .text): print(OnceText.summary(report))
            case (.failure(let error), .json): print(try JSONOutput.encode(OnceOutput(report: nil, error: error)))
            case (.failure(let error), .text): printError("reconciler once: \(error.message)")
            }
            if case .failure = outcome { throw ExitCode(1) }
            // A degraded host changed nothing and is not converged: a script must notice.
            if case .success(let report) = outcome, report.degraded != nil { throw ExitCode(1) }
        }
    }
}

/// `once --output json`.
struct OnceOutput: Encodable {
    var result: String
    var commit: String?
    var run: Int64?
    var actions: [PlannedAction]
    var healthy: [String]
    var unhealthy: [String]
    var heldBack: String?
    var degraded: String?
    var suspended: String?
    var waiting: RingWait?
    var release: Int64?
    var seconds: Double?
    var error: ErrorOutput?

    struct ErrorOutput: Encodable {
        var stage: String
        var message: String
        var diagnostics: [Diagnostic]
    }

    init(report: RunReport?, error: ReconcileError?) {
        result =
            if error != nil {
                "failed"
            } else if report?.degraded != nil {
                "degraded"
            } else if report?.suspended != nil {
                "suspended"
            } else if report?.actions.isEmpty == true {
                report?.heldBack != nil ? "held-back" : "in-sync"
            } else {
                "converged"
            }
        commit = report?.commit ?? error?.commit
        run = report?.run
        actions = report?.actions ?? []
        healthy = report?.healthy ?? []
        unhealthy = report?.unhealthy ?? []
        heldBack = report?.heldBack
        degraded = report?.degraded
        suspended = report?.suspended
        waiting = report?.waiting
        release = report?.release
        seconds = report?.seconds
        self.error = error.map {
            ErrorOutput(stage: $0.stage.rawValue, message: $0.message, diagnostics: $0.diagnostics)
        }
    }
}

enum OnceText {
    static func summary(_ report: RunReport) -> String {
        let time = String(format: "%.1f s", report.seconds)
        var lines: [String] = []
        if let held = report.heldBack {
            lines.append(
                "commit \(held.prefix(12)) is quarantined (it failed after changing the host) and is held back until a newer commit arrives or `reconciler retry`"
            )
        }
        if let waiting = report.waiting {
            lines.append("ring gate: \(waiting); staying on what the host runs")
        }
        if let suspended = report.suspended {
            lines.append("suspended (\(suspended)), nothing was changed; `reconciler resume` lets runs act again")
            if !report.actions.isEmpty {
                lines.append("drift, \(report.actions.count) actions not taken:")
                lines += report.actions.map { "  \($0)" }
            }
            return lines.joined(separator: "\n")
        }
        if let degraded = report.degraded {
            lines.append("degraded, nothing was changed: \(degraded)")
            lines.append("push a fix, or run `reconciler retry` to try again")
            return lines.joined(separator: "\n")
        }
        lines.append(body(report, time: time))
        if !report.unhealthy.isEmpty {
            lines.append("unhealthy (not changed by this run): \(report.unhealthy.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    private static func body(_ report: RunReport, time: String) -> String {
        if let waiting = report.waiting, waiting.commit == report.commit {
            return "nothing applied yet, nothing to do (\(time))"
        }
        guard !report.actions.isEmpty else {
            return "in sync with \(report.commit.prefix(12)), nothing to do (\(time))"
        }
        var lines = ["converged to \(report.commit.prefix(12)) in \(time):"]
        lines += report.actions.map { "  \($0)" }
        if !report.healthy.isEmpty { lines.append("healthy: \(report.healthy.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }
}
