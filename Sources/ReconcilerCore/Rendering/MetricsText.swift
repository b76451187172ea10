import FoundationEssentials

/// The Prometheus text exposition (format 0.0.4) of the last run, for node_exporter's
/// textfile collector. Pure: the caller writes it atomically.
public enum MetricsText {
    /// The metric names, in the order they are written; the README's table lists the same.
    public static let names = [
        "reconciler_last_sync_timestamp_seconds", "reconciler_last_sync_success", "reconciler_last_sync_result",
        "reconciler_last_sync_duration_seconds", "reconciler_last_apply_duration_seconds",
        "reconciler_drift_actions", "reconciler_applied_commit_info", "reconciler_healthy_commit_info",
        "reconciler_unhealthy_services", "reconciler_quarantined_commits", "reconciler_quarantined_commit_info",
        "reconciler_suspended", "reconciler_rollbacks_total",
    ]

    /// - Parameters:
    ///   - outcome: the run that just finished.
    ///   - rollbacks: rollbacks so far, this one included (a counter kept across restarts).
    public static func render(_ outcome: RunOutcome, rollbacks: Int) -> String {
        var text = MetricWriter()
        text.metric(
            "reconciler_last_sync_timestamp_seconds", .gauge,
            "When the last sync finished, in seconds since the epoch.",
            value(outcome.finishedAt.timeIntervalSince1970))
        text.metric(
            "reconciler_last_sync_success", .gauge,
            "1 when the last sync left the host as the commit says (or held still on purpose), 0 otherwise.",
            outcome.result.isSuccess ? "1" : "0")
        text.header("reconciler_last_sync_result", .gauge, "The result of the last sync: 1 for the one it had.")
        for result in RunOutcomeResult.allCases {
            text.sample(
                "reconciler_last_sync_result", [("result", result.rawValue)], result == outcome.result ? "1" : "0")
        }
        text.metric(
            "reconciler_last_sync_duration_seconds", .gauge, "How long the last sync took.", value(outcome.syncSeconds))
        text.metric(
            "reconciler_last_apply_duration_seconds", .gauge,
            "How long the last sync spent applying actions, rollbacks included.", value(outcome.applySeconds))
        text.metric(
            "reconciler_drift_actions", .gauge, "Actions the last sync's plan found needed (drift from the commit).",
            "\(outcome.drift)")
        let summary = outcome.summary
        text.header("reconciler_applied_commit_info", .gauge, "The commit last applied, as a label.")
        if let applied = summary?.lastApplied?.commit {
            text.sample("reconciler_applied_commit_info", [("commit", applied)], "1")
        }
        text.header("reconciler_healthy_commit_info", .gauge, "The last commit whose services were all healthy.")
        if let healthy = summary?.lastHealthy?.commit {
            text.sample("reconciler_healthy_commit_info", [("commit", healthy)], "1")
        }
        text.metric(
            "reconciler_unhealthy_services", .gauge, "Services whose health check failed on the last sync.",
            "\(outcome.unhealthy.count)")
        let quarantined = summary?.quarantined ?? []
        text.metric(
            "reconciler_quarantined_commits", .gauge, "Commits not tried again until a newer one or a retry.",
            "\(quarantined.count)")
        text.header("reconciler_quarantined_commit_info", .gauge, "Each quarantined commit, as a label.")
        for commit in quarantined {
            text.sample("reconciler_quarantined_commit_info", [("commit", commit.commit)], "1")
        }
        let suspended = outcome.suspended ?? summary?.suspended?.message
        text.header("reconciler_suspended", .gauge, "1 while an operator holds the host still, with the reason.")
        text.sample("reconciler_suspended", suspended.map { [("reason", $0)] } ?? [], suspended == nil ? "0" : "1")
        text.metric(
            "reconciler_rollbacks_total", .counter, "Releases rolled back after they failed.", "\(rollbacks)")
        return text.output
    }

    /// A label value as the exposition format quotes it: backslash, double quote and line
    /// feed escaped.
    public static func escapeLabel(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A sample value: whole numbers without a fraction, others in Swift's shortest form.
    static func value(_ number: Double) -> String {
        guard number.isFinite else { return number.isNaN ? "NaN" : number > 0 ? "+Inf" : "-Inf" }
        if number == number.rounded(), abs(number) < 1e15 { return "\(Int64(number))" }
        return "\(number)"
    }

    /// Reads the rollback counter back from a file this type wrote, so the counter carries on
    /// across restarts of the agent and separate `reconciler once` processes.
    public static func rollbacks(in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("reconciler_rollbacks_total ") {
            return Int(line.dropFirst("reconciler_rollbacks_total ".count))
        }
        return nil
    }
}

extension RunOutcomeResult {
    /// The host is as the operator wants it: converged, in sync, held back to the last
    /// healthy commit, or suspended on purpose.
    public var isSuccess: Bool {
        switch self {
        case .inSync, .converged, .heldBack, .suspended: true
        case .degraded, .failed, .refused, .rolledBack: false
        }
    }
}

/// Builds the exposition text: HELP and TYPE before a metric's samples.
private struct MetricWriter {
    enum Kind: String { case gauge, counter }
    var output = ""

    mutating func header(_ name: String, _ kind: Kind, _ help: String) {
        let escapedHelp = help.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
        output += "# HELP \(name) \(escapedHelp)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: String) {
        let labelText =
            labels.isEmpty
            ? "" : "{" + labels.map { "\($0.0)=\"\(MetricsText.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
        output += "\(name)\(labelText) \(value)\n"
    }

    mutating func metric(_ name: String, _ kind: Kind, _ help: String, _ value: String) {
        header(name, kind, help)
        sample(name, [], value)
    }
}
