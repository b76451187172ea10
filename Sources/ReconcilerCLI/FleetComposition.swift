import Logging
import ReconcilerCore
import ReconcilerEngine
import ReconcilerGit

/// One git source for the engine and the fleet coordinator: the ring gate reads the listing
/// the engine's poll made, so the fleet costs no extra connection.
final class SharedGitSource {
    private let configuration: HostConfiguration
    private let logger: Logger
    private var opened: GitSource?

    init(_ configuration: HostConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func get() throws -> GitSource {
        if let opened { return opened }
        let source = try Composition.gitSource(configuration, logger: logger)
        opened = source
        return source
    }
}

extension Composition {
    /// The fleet coordinator when `fleet:` is configured and the host name can name a ref.
    static func fleet(
        _ configuration: HostConfiguration, sources: SharedGitSource, logger: Logger
    ) -> (any FleetCoordinating)? {
        guard let fleet = configuration.fleet else { return nil }
        if let problem = FleetRefs.hostNameProblem(configuration.hostName) {
            logger.error("fleet: disabled: \(problem)")
            return nil
        }
        return GitFleet(
            hostName: configuration.hostName, configuration: fleet, stateDirectory: configuration.stateDirectory,
            source: { try sources.get() }, logger: logger)
    }
}
