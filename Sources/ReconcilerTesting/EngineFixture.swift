public import Logging
public import ReconcilerCore
public import ReconcilerEngine

/// An engine wired to in-memory fakes of every port: a repository, a host, a store, a lock,
/// health checks and a clock, all inspectable by the test.
public final class EngineFixture {
    public let repository = InMemoryRepository()
    public let host = FakeHost()
    public let clock = MockClock()
    public let store: InMemoryRunStore
    public let lock = InMemoryRunLock()
    public let health = FakeHealthProber()
    /// Every run outcome the engine reported (metrics, webhooks).
    public let outcomes = RecordingOutcomes()
    public var configuration: HostConfiguration
    public let logger: Logger
    /// Set to make opening the store fail, as an unreadable state directory does.
    public var storeFailure: (any Error)?
    /// The fleet port (ring gate, reports); nil as on a host without `fleet:`.
    public var fleet: (any FleetCoordinating)?

    /// - Parameter logger: where the engine logs; a test that checks logs passes one backed
    ///   by an in-memory handler.
    public init(hostName: String = "web1", logger: Logger = Logger(label: "reconciler.test")) {
        store = InMemoryRunStore(clock: clock)
        var configuration = HostConfiguration(hostName: hostName)
        configuration.repository.url = "memory://desired"
        configuration.stateDirectory = "/var/lib/reconciler"
        self.configuration = configuration
        self.logger = logger
    }

    /// The ports, as the composition root builds them from real adapters.
    public var ports: EnginePorts {
        var ports = EnginePorts(
            source: { [repository] in repository },
            store: { [self] in
                if let storeFailure { throw storeFailure }
                return store
            },
            lock: lock, units: host.units, containers: host.containers, health: health, clock: clock,
            outcomes: outcomes)
        ports.fleet = fleet
        return ports
    }

    /// A fresh engine, as each `reconciler once` process builds one.
    public func reconciliation() -> Reconciliation {
        Reconciliation(configuration: configuration, ports: ports, logger: logger)
    }

    /// One `reconciler once`.
    @discardableResult
    public func once() throws(ReconcileError) -> RunReport {
        try reconciliation().once(waitForLock: false)
    }

    /// One `reconciler diff`.
    public func diff() throws(ReconcileError) -> Assessment {
        try reconciliation().diff()
    }
}
