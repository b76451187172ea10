public import FoundationEssentials

/// Where a release stands. A release is what one commit gives this host: its units and the
/// images they run.
public enum ReleaseState: String, Sendable, Codable, CaseIterable {
    /// Its actions are being carried out.
    case applying
    /// Everything is written and started; the health checks of the services it changed run.
    case verifying
    /// Every service it changed passed its health check: a rollback target.
    case healthy
    /// It failed before it changed anything, or it was superseded before it was verified.
    case failed
    /// It failed after changing the host, and the host was put back as it was.
    case rolledBack = "rolled-back"

    /// A run was carrying it out when it stopped: the next run finishes the job.
    public var isUnfinished: Bool { self == .applying || self == .verifying }
}

/// One release as the store keeps it.
public struct ReleaseRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var commit: String
    /// The run that made it, while that run is kept in the history.
    public var run: Int64?
    public var state: ReleaseState
    /// The services whose health checks decide whether it is healthy: those it changed.
    public var gatingServices: [String]
    /// The images its units run, kept while it is one of the releases to go back to.
    public var images: [String]
    /// The units it added (the host had none of that name): a failed first release removes them.
    public var addedUnits: [String]
    public var startedAt: Date
    public var updatedAt: Date
    /// Why it failed or was rolled back.
    public var message: String?

    public init(
        id: Int64, commit: String, run: Int64?, state: ReleaseState, gatingServices: [String], images: [String],
        addedUnits: [String], startedAt: Date, updatedAt: Date, message: String?
    ) {
        self.id = id
        self.commit = commit
        self.run = run
        self.state = state
        self.gatingServices = gatingServices
        self.images = images
        self.addedUnits = addedUnits
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.message = message
    }
}

/// What a new release record holds when it begins.
public struct ReleaseStart: Sendable, Equatable {
    public var commit: String
    public var run: Int64?
    public var gatingServices: [String]
    public var images: [String]
    public var addedUnits: [String]

    public init(commit: String, run: Int64?, gatingServices: [String], images: [String], addedUnits: [String]) {
        self.commit = commit
        self.run = run
        self.gatingServices = gatingServices
        self.images = images
        self.addedUnits = addedUnits
    }
}
