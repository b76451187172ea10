import ArgumentParser
import Foundation
import Logging
import ReconcilerCore
import ReconcilerGit

extension Reconciler {
    struct Fleet: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every host that reports to the repository: its ring, commits and what it waits for.",
            discussion: """
                Reads the reports hosts push under refs/reconciler/hosts/ (fleet: in their \
                configuration) from one listing of the remote (and one of fleet.reports.url when \
                set): nothing is fetched or changed. \
                BEHIND counts the commits of the tracked branch a host lacks, from this host's mirror \
                ('?' when the mirror has not got them).
                """)

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Output format: text or json.")
        var output: OutputFormat = .text

        func run() throws {
            let logger = global.makeLogger()
            let configuration = try host.load()
            let listing: [RemoteReference]
            let source: GitSource
            do {
                source = try Composition.gitSource(configuration, logger: logger)
                listing = try source.listAllReferences()
            } catch {
                throw CommandFailure("list the repository's references", cause: error)
            }
            var reportListing = listing
            if let reports = configuration.fleet?.reports {
                do {
                    reportListing = try source.listReferences(
                        of: reports.url, credentials: reports.credentials ?? configuration.repository.credentials)
                } catch {
                    throw CommandFailure("list the reports repository (fleet.reports.url)", cause: error)
                }
            }
            let reference = configuration.repository.reference
            let head = source.trackedID(in: listing)
            let reports = FleetRefs.reports(from: reportListing.map { ($0.name, $0.id) })
            let view = FleetView(
                tracked: "\(reference)", head: head,
                hosts: reports.map { FleetView.Host($0, head: head, reports: reports, source: source) })
            switch output {
            case .json: print(try JSONOutput.encode(view))
            case .text: print(FleetText.render(view))
            }
        }
    }
}

/// What `reconciler fleet` shows.
struct FleetView: Encodable {
    var tracked: String
    var head: String?
    var hosts: [Host]

    struct Host: Encodable {
        var host: String
        var ring: Int?
        var applied: String?
        var healthy: String?
        var healthySince: Date?
        var quarantined: [String]
        /// The commit the host holds back, and, when a lower ring quarantined it, which host.
        var waiting: String?
        var stoppedBy: String?
        /// Commits of the tracked branch it lacks; nil when the local mirror cannot say.
        var behind: Int?
        var reported: Date?

        // Every optional written, as null when absent, as `status` does.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(host, forKey: .host)
            try container.encode(ring, forKey: .ring)
            try container.encode(applied, forKey: .applied)
            try container.encode(healthy, forKey: .healthy)
            try container.encode(healthySince, forKey: .healthySince)
            try container.encode(quarantined, forKey: .quarantined)
            try container.encode(waiting, forKey: .waiting)
            try container.encode(stoppedBy, forKey: .stoppedBy)
            try container.encode(behind, forKey: .behind)
            try container.encode(reported, forKey: .reported)
        }

        enum CodingKeys: String, CodingKey {
            case host, ring, applied, healthy, healthySince, quarantined, waiting, stoppedBy, behind, reported
        }
    }
}

extension FleetView.Host {
    init(_ report: HostReport, head: String?, reports: [HostReport], source: GitSource) {
        host = report.host
        ring = report.ring
        applied = report.applied
        healthy = report.healthy
        healthySince = report.healthySince
        quarantined = report.quarantined
        waiting = report.waiting
        reported = report.reported
        if let waiting = report.waiting {
            stoppedBy =
                reports.first { other in
                    (other.ring ?? 0) < (report.ring ?? 0) && other.quarantined.contains(waiting)
                }?.host
        }
        if let applied = report.applied, let head { behind = source.commitsBehind(applied, head: head) }
    }
}

/// `reconciler fleet` for people: the tracked head, then a row per host.
enum FleetText {
    static func render(_ view: FleetView) -> String {
        var lines = ["tracked: \(view.tracked) at \(view.head.map(TextColumns.short) ?? "unknown")"]
        guard !view.hosts.isEmpty else {
            lines.append(
                "no host reports here yet: hosts report with `fleet:` in their configuration (see README, Fleets)")
            return lines.joined(separator: "\n")
        }
        let header = ["HOST", "RING", "APPLIED", "BEHIND", "HEALTHY", "SINCE", "REPORTED", "WAITING", "QUARANTINED"]
        let rows = view.hosts.map { host -> [String] in
            [
                host.host, host.ring.map(String.init) ?? "-", host.applied.map(TextColumns.short) ?? "-",
                host.behind.map(String.init) ?? "?", host.healthy.map(TextColumns.short) ?? "-",
                host.healthySince.map(TextColumns.time) ?? "-", host.reported.map(TextColumns.time) ?? "-",
                waiting(host),
                host.quarantined.isEmpty ? "-" : host.quarantined.map(TextColumns.short).joined(separator: ","),
            ]
        }
        lines += TextColumns.align([header] + rows)
        if let head = view.head {
            let stopped = view.hosts.filter { $0.quarantined.contains(head) }.map(\.host)
            if !stopped.isEmpty {
                lines.append(
                    "\(TextColumns.short(head)) stopped: quarantined on \(stopped.joined(separator: ", ")); higher rings stay where they are"
                )
            }
        }
        return lines.map { TerminalSafeText.sanitized($0) }.joined(separator: "\n")
    }

    private static func waiting(_ host: FleetView.Host) -> String {
        guard let waiting = host.waiting else { return "-" }
        if let stoppedBy = host.stoppedBy { return "\(TextColumns.short(waiting)) (quarantined on \(stoppedBy))" }
        return "\(TextColumns.short(waiting)) (ring \(max((host.ring ?? 1) - 1, 0)) gate)"
    }
}
