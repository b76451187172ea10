import Foundation
import ReconcilerCore
import ReconcilerEngine
import ReconcilerGit
import ReconcilerStore

/// `reconciler status` for people: labelled lines, then one aligned row per owned unit.
enum StatusText {
    static func render(_ report: StatusReport) -> String {
        let summary = report.status.summary
        var lines = [
            field("host", report.host),
            field("systemd", "\(report.systemd.version), \(report.systemd.systemState)"),
            field("failed", report.failedUnits.isEmpty ? "none" : report.failedUnits.joined(separator: ", ")),
            field("repo", report.status.repository.map(repository) ?? "not configured"),
            field("applied", summary.lastApplied.map(mark) ?? "nothing applied yet"),
            field("healthy", summary.lastHealthy.map(mark) ?? "none yet"),
            field("error", summary.lastError.map(error) ?? "none"),
        ]
        if let release = summary.release {
            lines.append(field("release", releaseLine(release)))
        }
        if let suspended = summary.suspended {
            lines.append(field("suspended", "since \(TextColumns.time(suspended.at)): \(suspended.message)"))
        }
        if let degraded = summary.degraded {
            lines.append(field("degraded", error(degraded)))
        }
        if let unhealthy = summary.unhealthy {
            lines.append(field("unhealthy", error(unhealthy)))
        }
        for quarantined in summary.quarantined {
            // The first line only: the whole message is the error above, or in history.
            let reason = quarantined.reason.map { ": " + TextColumns.firstLine($0) } ?? ""
            lines.append(
                field(
                    "quarantined",
                    "\(TextColumns.short(quarantined.commit)) since \(TextColumns.time(quarantined.at))\(reason)"))
        }
        if let fleet = report.fleet {
            if let waiting = fleet.waiting { lines.append(field("waiting", waiting.description)) }
            if let error = fleet.publishError { lines.append(field("report", "push failed: \(error)")) }
        }
        let units = report.status.units
        guard !units.isEmpty else { return lines.joined(separator: "\n") }
        lines.append("")
        let header = ["UNIT", "STATE", "FILE", "CONTAINER", "IMAGE", "COMMIT"]
        lines += TextColumns.align([header] + units.map(row))
        for unit in units {
            if let problem = unit.problem ?? unit.container?.problem {
                lines.append("\(unit.name): " + indented(TerminalSafeText.sanitized(problem), by: "  "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `label:` padded to ten columns, continuation lines indented to match.
    /// The value may come from outside (an error quoting a build log), so it is made safe here.
    static func field(_ label: String, _ value: String) -> String {
        let prefix = "\(label):".padding(toLength: max(label.count + 2, 10), withPad: " ", startingAt: 0)
        let value = TerminalSafeText.sanitized(value)
        return prefix + indented(value, by: String(repeating: " ", count: prefix.count))
    }

    static func row(_ unit: OwnedUnitStatus) -> [String] {
        let state = unit.problem != nil ? "unknown" : "\(unit.activeState)/\(unit.subState)"
        var file = unit.unitFileState.isEmpty ? "-" : unit.unitFileState
        // A file that lost its marker is no longer ours to manage: say so where it shows.
        if unit.problem == nil && !unit.marked { file += " (unmarked)" }
        return [
            unit.name, state, file, unit.container.map(containerState) ?? "-",
            unit.container?.imageID.map(shortImageID) ?? "-", TextColumns.short(unit.commit),
        ]
    }

    static func containerState(_ container: ContainerStatus) -> String {
        if container.problem != nil { return "unknown" }
        if !container.exists { return "absent" }
        return container.running ? "running" : "stopped"
    }

    /// Image ids as `podman images` shows them: 12 hex digits, without docker's `sha256:`.
    static func shortImageID(_ id: String) -> String {
        String((id.hasPrefix("sha256:") ? id.dropFirst("sha256:".count) : Substring(id)).prefix(12))
    }

    static func repository(_ repository: RepositoryStatus) -> String {
        let origin = repository.lastRun ? " (last run)" : ""
        if let branch = repository.branch { return "\(repository.url), branch \(branch)\(origin)" }
        if let tag = repository.tag { return "\(repository.url), tag \(tag)\(origin)" }
        if let commit = repository.commit {
            return "\(repository.url), commit \(TextColumns.short(commit))\(origin)"
        }
        return repository.url + origin
    }

    static func mark(_ mark: CommitMark) -> String {
        "\(TextColumns.short(mark.commit)) at \(TextColumns.time(mark.at))"
    }

    static func releaseLine(_ release: ReleaseRecord) -> String {
        "\(release.id), \(TextColumns.short(release.commit)) \(release.state.rawValue) since \(TextColumns.time(release.updatedAt))"
    }

    static func error(_ mark: ErrorMark) -> String {
        let commit = mark.commit.map { " on \(TextColumns.short($0))" } ?? ""
        return "\(TextColumns.time(mark.at))\(commit): \(mark.message)"
    }

    /// Every line after the first indented by `prefix`, so multi-line messages stay in their column.
    static func indented(_ text: String, by prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : prefix + $0.element }
            .joined(separator: "\n")
    }
}
