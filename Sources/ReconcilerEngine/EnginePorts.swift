public import ReconcilerCore

/// Everything the engine needs from the world, built once by the composition root (the
/// CLI) from the real adapters, or by a test from in-memory fakes.
///
/// The source and the store are opened on first use, so that a missing repository URL or
/// an unreadable state store is a failed sync (logged, retried with backoff) rather than a
/// crash of the agent at start.
public struct EnginePorts {
    /// Opens the desired-state source; throws when none is configured.
    public var source: () throws -> any DesiredStateSource
    /// Opens the state store.
    public var store: () throws -> any RunStore
    /// One run at a time.
    public var lock: any RunLocking
    public var units: any UnitManager
    public var containers: any ContainerDriver
    public var health: any HealthProber
    public var clock: any WallClock
    /// Whether this host can decrypt a commit's secrets.
    public var secrets: any SecretChecking
    /// The repository URL as it may be shown and stored (any password hidden), recorded with
    /// each run for `status`; nil records none.
    public var shownRepositoryURL: String?
    /// Told how every run ended (metrics file, webhooks).
    public var outcomes: any RunOutcomeReporting
    /// The fleet's refs in the repository (ring gate, reports); nil without `fleet:`.
    public var fleet: (any FleetCoordinating)?

    public init(
        source: @escaping () throws -> any DesiredStateSource, store: @escaping () throws -> any RunStore,
        lock: any RunLocking, units: any UnitManager, containers: any ContainerDriver, health: any HealthProber,
        clock: any WallClock, secrets: any SecretChecking = NoSecretChecking(),
        outcomes: any RunOutcomeReporting = NoRunOutcomeReporting()
    ) {
        self.source = source
        self.store = store
        self.lock = lock
        self.units = units
        self.containers = containers
        self.health = health
        self.clock = clock
        self.secrets = secrets
        self.outcomes = outcomes
    }
}
