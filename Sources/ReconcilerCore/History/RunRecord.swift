public import FoundationEssentials

/// How a run ended.
public enum RunResult: String, Sendable, Codable, CaseIterable {
    case succeeded
    case failed
    /// The host was already in sync: nothing to do.
    case noChange = "no-change"
    /// The plan was refused (e.g. a desired unit is not ours); nothing changed.
    case refused
    /// The run failed and put the previous state back.
    case rolledBack = "rolled-back"
    /// The process died mid-run; a later run closed the record.
    case abandoned
}

/// One run of the reconciler, with the actions it recorded, in order.
public struct RunRecord: Sendable, Equatable, Codable {
    public var id: Int64
    /// What started the run: "once", "run" (the daemon), "diff", ...
    public var trigger: String
    /// The desired-state commit the run worked from, when it got that far.
    public var commit: String?
    public var startedAt: Date
    /// Nil while the run goes on, or when the process died before finishing it.
    public var endedAt: Date?
    public var result: RunResult?
    public var message: String?
    public var actions: [ActionRecord]

    public init(
        id: Int64,
        trigger: String,
        commit: String?,
        startedAt: Date,
        endedAt: Date?,
        result: RunResult?,
        message: String?,
        actions: [ActionRecord]
    ) {
        self.id = id
        self.trigger = trigger
        self.commit = commit
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.result = result
        self.message = message
        self.actions = actions
    }

    /// False while the record is open: the run is going on, or its process died.
    public var isFinished: Bool { endedAt != nil }
}
