public import FoundationEssentials

/// A commit and when the store noted it.
public struct CommitMark: Sendable, Equatable, Codable {
    public var commit: String
    public var at: Date

    public init(commit: String, at: Date) {
        self.commit = commit
        self.at = at
    }
}

/// The last error, with the commit it happened on when there was one.
public struct ErrorMark: Sendable, Equatable, Codable {
    public var message: String
    public var commit: String?
    public var at: Date

    public init(message: String, commit: String?, at: Date) {
        self.message = message
        self.commit = commit
        self.at = at
    }
}

/// A quarantined commit: it failed after changing the host, and is not tried again until a
/// newer commit arrives or an operator runs `reconciler retry`.
public struct QuarantinedCommit: Sendable, Equatable, Codable {
    public var commit: String
    /// Why it was given up, e.g. the validation errors.
    public var reason: String?
    public var at: Date

    public init(commit: String, reason: String?, at: Date) {
        self.commit = commit
        self.reason = reason
        self.at = at
    }
}

/// What `reconciler status` reports from the store.
public struct StoreSummary: Sendable, Equatable, Codable {
    /// The commit the last successful run applied.
    public var lastApplied: CommitMark?
    /// The last commit whose services all passed their health checks.
    public var lastHealthy: CommitMark?
    /// The last failure, until a run clears it.
    public var lastError: ErrorMark?
    /// Commits not to try again, newest first.
    public var quarantined: [QuarantinedCommit]
    /// Set when a rollback restored a release that is not healthy either: the host stays as
    /// it is, and nothing is restarted, until a new commit or a retry.
    public var degraded: ErrorMark?
    /// Services whose health check failed on the last poll, though no release changed them.
    public var unhealthy: ErrorMark?
    /// The newest release, whatever its state.
    public var release: ReleaseRecord?
    /// Set while an operator holds the host still (`reconciler suspend`), with the reason.
    public var suspended: ErrorMark?

    public init(
        lastApplied: CommitMark? = nil,
        lastHealthy: CommitMark? = nil,
        lastError: ErrorMark? = nil,
        quarantined: [QuarantinedCommit] = [],
        degraded: ErrorMark? = nil,
        unhealthy: ErrorMark? = nil,
        release: ReleaseRecord? = nil,
        suspended: ErrorMark? = nil
    ) {
        self.lastApplied = lastApplied
        self.lastHealthy = lastHealthy
        self.lastError = lastError
        self.quarantined = quarantined
        self.degraded = degraded
        self.unhealthy = unhealthy
        self.release = release
        self.suspended = suspended
    }

    /// Whether `commit` is quarantined.
    public func isQuarantined(_ commit: String) -> Bool {
        quarantined.contains { $0.commit == commit }
    }
}
