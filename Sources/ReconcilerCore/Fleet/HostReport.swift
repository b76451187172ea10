public import FoundationEssentials

/// What one host publishes about itself, read back from the refs under its namespace.
public struct HostReport: Sendable, Equatable, Codable {
    public var host: String
    public var ring: Int?
    /// The commit the host runs.
    public var applied: String?
    /// The last commit whose services all passed their health checks, and since when.
    public var healthy: String?
    public var healthySince: Date?
    /// Commits the host gave up on, newest first (at most `FleetRefs.quarantineLimit`).
    public var quarantined: [String] = []
    /// The newer commit the host holds back until its ring's gate opens.
    public var waiting: String?
    /// When the host last pushed a change.
    public var reported: Date?

    public init(
        host: String, ring: Int? = nil, applied: String? = nil, healthy: String? = nil, healthySince: Date? = nil,
        quarantined: [String] = [], waiting: String? = nil, reported: Date? = nil
    ) {
        self.host = host
        self.ring = ring
        self.applied = applied
        self.healthy = healthy
        self.healthySince = healthySince
        self.quarantined = quarantined
        self.waiting = waiting
        self.reported = reported
    }

    /// The same state, ignoring when it was reported: a host pushes only when this differs.
    public func sameState(as other: HostReport) -> Bool {
        var mine = self
        var theirs = other
        mine.reported = nil
        theirs.reported = nil
        return mine == theirs
    }
}
