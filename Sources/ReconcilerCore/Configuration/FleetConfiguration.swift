/// The `fleet:` section: this host reports its state as refs in the repository it follows,
/// and, in a ring above 0, applies a commit only once enough hosts of the ring below report
/// it healthy.
public struct FleetConfiguration: Sendable, Equatable {
    /// Push this host's state to `refs/reconciler/hosts/<host>/…` after each change.
    public var publish = true
    /// The host's ring: 0 applies every commit at once, as a host without rings does.
    public var ring = 0
    /// When a commit may reach this ring (ignored in ring 0).
    public var promote = RingPromotion()
    /// Where reports go and are read from; nil: the repository the host follows.
    public var reports: FleetReportsRepository?

    public init(
        publish: Bool = true, ring: Int = 0, promote: RingPromotion = RingPromotion(),
        reports: FleetReportsRepository? = nil
    ) {
        self.publish = publish
        self.ring = ring
        self.promote = promote
        self.reports = reports
    }
}

/// `reports: {url: ..., credentials: {...}}`: a repository of its own for the reports, so the
/// listing every host makes of the desired state on each poll does not grow with the fleet.
public struct FleetReportsRepository: Sendable, Equatable {
    public var url: String
    /// nil: the `repository:` credentials.
    public var credentials: GitCredentials?

    public init(url: String, credentials: GitCredentials? = nil) {
        self.url = url
        self.credentials = credentials
    }
}

/// `promote: {after: K, soak: 10m}`: at least `after` hosts of the ring below must report the
/// commit (or a descendant) healthy for `soak` seconds.
public struct RingPromotion: Sendable, Equatable {
    public var after = 1
    public var soak: Double = 600

    public init(after: Int = 1, soak: Double = 600) {
        self.after = after
        self.soak = soak
    }
}
