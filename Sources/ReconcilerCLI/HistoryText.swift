import Foundation
import ReconcilerCore
import ReconcilerStore

/// `reconciler history` for people: one aligned line per run, its actions indented under it.
enum HistoryText {
    static func render(_ runs: [RunRecord], quarantined: [QuarantinedCommit] = []) -> String {
        guard !runs.isEmpty else { return "no runs recorded yet" }
        // Run lines are aligned with each other across the whole listing, so the eye can
        // scan one column (result, commit) down the page.
        let held = Set(quarantined.map(\.commit))
        let runLines = TextColumns.align(
            runs.map { run in
                var columns = row(run)
                if let commit = run.commit, held.contains(commit) { columns[2] += " (quarantined)" }
                return columns
            })
        var lines: [String] = quarantined.map { commit in
            "quarantined: \(TextColumns.short(commit.commit)) since \(TextColumns.time(commit.at))"
                + (commit.reason.map { ": " + TerminalSafeText.sanitized(TextColumns.firstLine($0), multiline: false) }
                    ?? "")
        }
        if !lines.isEmpty { lines.append("") }
        for (run, line) in zip(runs, runLines) {
            lines.append(line)
            lines += actions(run.actions)
        }
        return lines.joined(separator: "\n")
    }

    /// `#12  once  0123456789ab  2024-05-01T10:00:00Z  4.2 s  succeeded  message`
    static func row(_ run: RunRecord) -> [String] {
        let duration = run.endedAt.map { TextColumns.duration($0.timeIntervalSince(run.startedAt)) } ?? "-"
        let result = run.result?.rawValue ?? (run.isFinished ? "ended" : "unfinished")
        return [
            "#\(run.id)", run.trigger, run.commit.map(TextColumns.short) ?? "-", TextColumns.time(run.startedAt),
            duration, result, run.message.map(TextColumns.firstLine) ?? "",
        ]
    }

    /// The run's steps, aligned among themselves; a failed step's message follows it,
    /// whole, because that is what the reader came for.
    static func actions(_ actions: [ActionRecord]) -> [String] {
        let rows = actions.map { [$0.kind, $0.target, $0.state.rawValue, $0.reason] }
        var lines: [String] = []
        for (action, line) in zip(actions, TextColumns.align(rows, indent: "    ")) {
            lines.append(line)
            if action.state == .failed, let message = action.message {
                let message = TerminalSafeText.sanitized(message)
                lines.append("      error: " + StatusText.indented(message, by: "             "))
            }
        }
        return lines
    }
}
