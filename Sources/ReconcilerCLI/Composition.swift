import Foundation
import Logging
import ReconcilerContainers
import ReconcilerCore
import ReconcilerEngine
import ReconcilerGit
import ReconcilerHealth
import ReconcilerPOSIX
import ReconcilerStore
import ReconcilerSystemd

/// The composition root: the one place that builds the real adapters and hands them to the
/// engine as its ports.
enum Composition {
    /// The engine's ports on this host, from its configuration.
    /// - Parameter background: the agent delivers notifications on a background queue.
    static func ports(_ configuration: HostConfiguration, logger: Logger, background: Bool = false) -> EnginePorts {
        let clock = SystemClock()
        let store = SharedStateStore(stateDirectory: configuration.stateDirectory)
        let sources = SharedGitSource(configuration, logger: logger)
        var ports = EnginePorts(
            source: { try sources.get() },
            store: { try store.open() },
            lock: StateDirectoryLock(stateDirectory: configuration.stateDirectory),
            units: SystemdUnitManager(unitDirectory: configuration.unitDirectory),
            containers: ContainerEngine(runtime: configuration.runtime, logger: logger),
            health: HealthProbe(clock: clock),
            clock: clock,
            secrets: AgeSecretChecker(),
            outcomes: outcomeReporters(configuration, logger: logger, background: background, store: store))
        ports.shownRepositoryURL = configuration.repository.url.map(URLRedaction.shown)
        ports.fleet = fleet(configuration, sources: sources, logger: logger)
        return ports
    }

    /// The metrics file and webhooks told about every run, as configured.
    static func outcomeReporters(
        _ configuration: HostConfiguration, logger: Logger, background: Bool, store: SharedStateStore? = nil
    ) -> any RunOutcomeReporting {
        var reporters: [any RunOutcomeReporting] = []
        var isDirectory: ObjCBool = false
        let nodeExporter =
            FileManager.default.fileExists(
                atPath: HostConfiguration.nodeExporterTextfileDirectory, isDirectory: &isDirectory)
            && isDirectory.boolValue
        if let path = configuration.metricsFile(nodeExporterDirectoryExists: nodeExporter) {
            reporters.append(MetricsTextfile(path: path, logger: logger))
        }
        if !configuration.webhooks.isEmpty {
            reporters.append(
                WebhookNotifier(
                    webhooks: configuration.webhooks, hostName: configuration.hostName,
                    stateDirectory: configuration.stateDirectory, logger: logger, background: background,
                    openStore: store.map { shared -> @Sendable () throws -> StateStore in { try shared.open() } }))
        }
        return OutcomeReporters(reporters: reporters)
    }

    /// The git source the host follows. The engine checks first that a URL is configured.
    static func gitSource(_ configuration: HostConfiguration, logger: Logger) throws(ReconcileError) -> GitSource {
        guard
            let source = GitSourceConfiguration(
                repository: configuration.repository, stateDirectory: configuration.stateDirectory)
        else {
            throw ReconcileError(.configuration, "no repository is configured")
        }
        return GitSource(configuration: source, launcher: .currentExecutable(), logger: logger)
    }

    /// The engine for one command.
    static func reconciliation(_ configuration: HostConfiguration, logger: Logger) -> Reconciliation {
        Reconciliation(configuration: configuration, ports: ports(configuration, logger: logger), logger: logger)
    }

    /// The existing state store, or nil when none was made yet: reading commands must not
    /// create the state directory, since a host that never ran has nothing to show.
    static func existingStore(_ configuration: HostConfiguration) throws -> StateStore? {
        let path = configuration.stateDirectory + "/" + StateStore.fileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try StateStore(path: path)
    }
}
