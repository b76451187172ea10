public import Foundation
public import Logging
public import ReconcilerCore
import ReconcilerPOSIX

/// The fleet through the repository the host follows: the ring gate reads the reports in
/// the listing the poll already made (no fetch, no extra connection), and the host's own
/// report is pushed only when it changed. A failed push is logged and made again after a
/// backoff; it never fails the run.
///
/// With `reports:` set, reports live in a repository of their own, listed only when the gate
/// has a commit to decide on, or once before the first push; after that the host compares
/// with what it pushed last, so an idle poll never contacts it.
public final class GitFleet: FleetCoordinating {
    private let hostName: String
    private let configuration: FleetConfiguration
    private let source: () throws -> GitSource
    private let statusPath: String
    private let logger: Logger
    private var failures = 0
    private var retryAt: Date?
    private var status: FleetStatus
    /// The reports repository as last listed, with this host's pushes since; nil when unknown.
    private var reportsListing: [RemoteReference]?

    /// Longest wait before pushing again after failures.
    static let maximumBackoff: Double = 600

    /// - Parameter source: the engine's own source, whose listing the gate reads.
    public init(
        hostName: String, configuration: FleetConfiguration, stateDirectory: String,
        source: @escaping () throws -> GitSource, logger: Logger
    ) {
        self.hostName = hostName
        self.configuration = configuration
        self.source = source
        self.logger = logger
        statusPath = stateDirectory + "/" + FleetStatus.fileName
        status = FleetStatus.read(stateDirectory: stateDirectory) ?? FleetStatus()
    }

    public func wait(for commit: String, now: Date) -> RingWait? {
        guard configuration.ring > 0 else { return nil }
        let promotion = configuration.promote
        var wait: RingWait?
        if let git = try? source(), let listing = reportsForGate(git) {
            let reports = FleetRefs.reports(from: listing.map { ($0.name, $0.id) }).filter { $0.host != hostName }
            wait = RingGate.wait(
                for: commit, ring: configuration.ring, promotion: promotion, reports: reports, now: now,
                contains: { git.contains($0, ancestor: $1) })
        } else {
            // Without a listing nothing can be known of the ring below: stay.
            wait = RingWait(
                commit: commit, ring: configuration.ring - 1, needed: promotion.after, ready: [], soaking: [])
        }
        var next = status
        next.waiting = wait
        save(next)
        return wait
    }

    public func publish(_ report: HostReport, now: Date) {
        var next = status
        if report.waiting == nil { next.waiting = nil }
        defer { save(next) }
        guard configuration.publish else { return }
        if let retryAt, now < retryAt { return }
        guard let git = try? source() else { return }
        do {
            guard let listing = try reportsForPublishing(git) else { return }
            if let reports = configuration.reports {
                next.reportedRefs = ownRefs(listing)
                next.reportedTo = reports.url
            }
            guard
                let updates = FleetRefs.updates(publishing: report, over: listing.map { ($0.name, $0.id) }, now: now)
            else { return }
            if let reports = configuration.reports {
                reportsListing = nil  // unknown until the push succeeds
                next.reportedRefs = nil
                try git.push(updates, to: reports.url, credentials: credentials(reports, git))
                reportsListing = GitSource.applying(updates, to: listing)
                next.reportedRefs = ownRefs(GitSource.applying(updates, to: listing))
            } else {
                try git.push(updates)
            }
            failures = 0
            retryAt = nil
            next.published = now
            next.publishError = nil
            logger.info(
                "published this host's report: \(updates.count) refs under \(FleetRefs.namespace)\(hostName)/",
                metadata: ["applied": "\(report.applied ?? "none")", "healthy": "\(report.healthy ?? "none")"])
        } catch {
            failures += 1
            let delay = min(30 * pow(2, Double(min(failures - 1, 10))), Self.maximumBackoff)
            retryAt = now.addingTimeInterval(delay)
            next.publishError = "\(error)"
            logger.warning(
                "could not publish this host's report (converging goes on); retrying in \(Int(delay)) s: \(error)",
                metadata: ["failures": "\(failures)"])
        }
    }

    /// The listing the gate reads: the poll's own, or a fresh one of the reports repository.
    private func reportsForGate(_ git: GitSource) -> [RemoteReference]? {
        guard let reports = configuration.reports else { return git.lastListing }
        do {
            reportsListing = try git.listReferences(of: reports.url, credentials: credentials(reports, git))
        } catch {
            reportsListing = nil
            logger.warning("ring gate: cannot read the fleet's reports (the host stays where it is): \(error)")
        }
        return reportsListing
    }

    /// What the remote shows for this host before a push: the poll's listing, or the reports
    /// repository as last seen, by this process or (for `once` from a timer) the one before,
    /// listed only when neither knows.
    private func reportsForPublishing(_ git: GitSource) throws -> [RemoteReference]? {
        guard let reports = configuration.reports else { return git.lastListing }
        if let reportsListing { return reportsListing }
        if let known = status.reportedRefs, status.reportedTo == reports.url {
            return known.map { RemoteReference(name: $0.key, id: $0.value) }
        }
        let listing = try git.listReferences(of: reports.url, credentials: credentials(reports, git))
        reportsListing = listing
        return listing
    }

    /// This host's refs in `listing`, as `fleet.json` keeps them.
    private func ownRefs(_ listing: [RemoteReference]) -> [String: String] {
        let prefix = FleetRefs.namespace + hostName + "/"
        return Dictionary(
            listing.filter { $0.name.hasPrefix(prefix) }.map { ($0.name, $0.id) },
            uniquingKeysWith: { first, _ in first })
    }

    private func credentials(_ reports: FleetReportsRepository, _ git: GitSource) -> GitCredentials {
        reports.credentials ?? git.configuration.credentials
    }

    private func save(_ next: FleetStatus) {
        guard next != status else { return }
        status = next
        guard let data = try? JSONEncoder.fleetStatus.encode(next) else { return }
        do {
            try AtomicFile.write(Array(data), to: statusPath, mode: 0o644)
        } catch {
            logger.debug("cannot write \(statusPath): \(error)")
        }
    }
}

/// What `status` shows of the fleet: the ring gate's last answer and the last push, kept in
/// the state directory by the agent (`fleet.json`).
public struct FleetStatus: Codable, Sendable, Equatable {
    public static let fileName = "fleet.json"
    public var waiting: RingWait?
    public var published: Date?
    public var publishError: String?
    /// With `fleet.reports`: this host's refs there as last pushed or listed, so that a run
    /// compares with them instead of listing the reports repository; nil when unknown.
    public var reportedRefs: [String: String]?
    /// The reports repository `reportedRefs` describe (the configuration may name another since).
    public var reportedTo: String?

    public init(
        waiting: RingWait? = nil, published: Date? = nil, publishError: String? = nil,
        reportedRefs: [String: String]? = nil, reportedTo: String? = nil
    ) {
        self.waiting = waiting
        self.published = published
        self.publishError = publishError
        self.reportedRefs = reportedRefs
        self.reportedTo = reportedTo
    }

    public static func read(stateDirectory: String) -> FleetStatus? {
        guard let data = FileManager.default.contents(atPath: stateDirectory + "/" + fileName) else { return nil }
        return try? JSONDecoder.fleetStatus.decode(FleetStatus.self, from: data)
    }
}

extension JSONEncoder {
    fileprivate static var fleetStatus: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    fileprivate static var fleetStatus: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
