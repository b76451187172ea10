public import FoundationEssentials

/// How a run ended, as metrics and notifications see it.
public enum RunOutcomeResult: String, Sendable, Equatable, Codable, CaseIterable {
    /// Nothing to do: the host matched the commit.
    case inSync = "in-sync"
    /// Actions were taken and the release (or the healed drift) is healthy.
    case converged
    /// The newest commit is quarantined: the host was held to the last healthy one.
    case heldBack = "held-back"
    /// A rollback restored a release that is not healthy either: nothing was changed.
    case degraded
    /// An operator holds the host still: drift was observed, nothing was changed.
    case suspended
    /// The run failed before or while changing the host, without a rollback.
    case failed
    /// The commit was refused (invalid, or a planning refusal): nothing was changed.
    case refused
    /// A release failed after it changed the host and was rolled back.
    case rolledBack = "rolled-back"
}

/// Everything known about one finished run, success or failure: what the engine reports to
/// the metrics file and the webhooks after every run.
public struct RunOutcome: Sendable, Equatable {
    /// What started the run: "once", "poll", "signal".
    public var trigger: String
    public var finishedAt: Date
    /// The commit the run worked on, when one was read.
    public var commit: String?
    public var result: RunOutcomeResult
    /// Actions taken (or, when suspended, planned and not taken).
    public var actions: Int
    /// Differences between the host and the commit found by this run's plan.
    public var drift: Int
    /// The whole run, in seconds.
    public var syncSeconds: Double
    /// Time spent applying actions, rollbacks included, in seconds.
    public var applySeconds: Double
    /// The release this run deployed or rolled back, when it did.
    public var release: Int64?
    public var healthy: [String]
    public var unhealthy: [String]
    /// The newest commit, when it is held back because it is quarantined.
    public var heldBack: String?
    /// The operator's reason, while the host is suspended.
    public var suspended: String?
    /// Why the run failed, was refused, rolled back or is degraded.
    public var message: String?
    /// The store's marks after the run (applied and healthy commits, quarantine); nil when
    /// the store could not be read.
    public var summary: StoreSummary?

    public init(
        trigger: String, finishedAt: Date, commit: String?, result: RunOutcomeResult, actions: Int = 0,
        drift: Int = 0, syncSeconds: Double = 0, applySeconds: Double = 0, release: Int64? = nil,
        healthy: [String] = [], unhealthy: [String] = [], heldBack: String? = nil, suspended: String? = nil,
        message: String? = nil, summary: StoreSummary? = nil
    ) {
        self.trigger = trigger
        self.finishedAt = finishedAt
        self.commit = commit
        self.result = result
        self.actions = actions
        self.drift = drift
        self.syncSeconds = syncSeconds
        self.applySeconds = applySeconds
        self.release = release
        self.healthy = healthy
        self.unhealthy = unhealthy
        self.heldBack = heldBack
        self.suspended = suspended
        self.message = message
        self.summary = summary
    }
}

/// Told about every finished run, after the run lock is released. It must not block for
/// long or throw: a notification never holds converging back.
public protocol RunOutcomeReporting: Sendable {
    func runFinished(_ outcome: RunOutcome)
}

/// Tells nobody: the default when no metrics file or webhook is configured.
public struct NoRunOutcomeReporting: RunOutcomeReporting {
    public init() {}
    public func runFinished(_ outcome: RunOutcome) {}
}
