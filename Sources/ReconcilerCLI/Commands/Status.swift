import ArgumentParser
import Foundation
import Logging
import ReconcilerContainers
import ReconcilerCore
import ReconcilerEngine
import ReconcilerGit
import ReconcilerStore
import ReconcilerSystemd

extension Reconciler {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show this host, its service manager and what the reconciler has applied.",
            discussion: """
                Reads the state store and systemd; changes nothing, and works before the first run.
                """)

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Output format: text or json.")
        var output: OutputFormat = .text

        func run() async throws {
            let logger = global.makeLogger()
            let configuration = try host.load()
            let manager: SystemdManagerInfo
            let failed: [String]
            let units = SystemdUnitManager(unitDirectory: configuration.unitDirectory)
            do {
                let systemd = try units.manager()
                manager = try systemd.info()
                failed = try systemd.listUnits().filter { $0.activeState == "failed" }.map(\.name)
            } catch {
                throw CommandFailure("read the service manager's state", cause: error)
            }
            logger.debug(
                "read service manager",
                metadata: ["systemd.version": "\(manager.version)", "systemd.state": "\(manager.systemState)"])
            let status: HostStatus
            do {
                let store = try Composition.existingStore(configuration)
                // The last run's repository first: it is what the host runs, even from `--repo`.
                let repository =
                    try store?.lastRunRepository().map(RepositoryStatus.init(lastRun:))
                    ?? configuration.repository.url.map {
                        RepositoryStatus(
                            shownURL: URLRedaction.shown($0), reference: configuration.repository.reference)
                    }
                status = try HostStatus.read(
                    repository: repository, store: store, units: units,
                    containers: ContainerEngine(runtime: configuration.runtime, logger: logger))
            } catch {
                throw CommandFailure("read the state store", cause: error)
            }
            let report = StatusReport(
                host: configuration.hostName, systemd: manager, failedUnits: failed, status: status,
                fleet: configuration.fleet == nil ? nil : FleetStatus.read(stateDirectory: configuration.stateDirectory)
            )
            switch output {
            case .json: print(try JSONOutput.encode(report))
            case .text: print(StatusText.render(report))
            }
        }
    }
}

/// What `reconciler status` reports.
struct StatusReport: Encodable {
    var host: String
    var systemd: SystemdManagerInfo
    /// Units in the "failed" state, which is what makes a system "degraded".
    var failedUnits: [String]
    var status: HostStatus
    /// The ring gate's last answer and the last report push, with `fleet:` configured.
    var fleet: FleetStatus?

    enum CodingKeys: String, CodingKey {
        case host, systemd, failedUnits, repository, applied, lastHealthy, lastError, release, degraded, unhealthy,
            quarantined, suspended, units, fleet
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(systemd, forKey: .systemd)
        try container.encode(failedUnits, forKey: .failedUnits)
        // Scripts read `"applied": null` more reliably than a missing key, so every optional
        // is written, as null when absent.
        try container.encode(status.repository, forKey: .repository)
        try container.encode(status.summary.lastApplied, forKey: .applied)
        try container.encode(status.summary.lastHealthy, forKey: .lastHealthy)
        try container.encode(status.summary.lastError, forKey: .lastError)
        try container.encode(status.summary.release, forKey: .release)
        try container.encode(status.summary.degraded, forKey: .degraded)
        try container.encode(status.summary.unhealthy, forKey: .unhealthy)
        try container.encode(status.summary.quarantined, forKey: .quarantined)
        try container.encode(status.summary.suspended, forKey: .suspended)
        try container.encode(status.units, forKey: .units)
        try container.encode(fleet, forKey: .fleet)
    }
}
