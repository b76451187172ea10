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

/// A commit the daemon must not try again until a newer one arrives.
public struct BadCommit: Sendable, Equatable, Codable {
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
    public var badCommit: BadCommit?

    public init(
        lastApplied: CommitMark? = nil,
        lastHealthy: CommitMark? = nil,
        lastError: ErrorMark? = nil,
        badCommit: BadCommit? = nil
    ) {
        self.lastApplied = lastApplied
        self.lastHealthy = lastHealthy
        self.lastError = lastError
        self.badCommit = badCommit
    }
}
