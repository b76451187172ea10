public import FoundationEssentials

/// Where one planned action got to.
public enum ActionState: String, Sendable, Codable, CaseIterable {
    /// Recorded before the run acted: it meant to do this.
    case intended
    /// The run began this step. Left so after a crash, it is the step that was in flight.
    case started
    case succeeded
    case failed
    /// The run decided not to do it (an earlier step failed, or it was not needed).
    case skipped

    /// True for the states a step ends in; an ended step never changes again.
    public var isFinal: Bool {
        switch self {
        case .intended, .started: false
        case .succeeded, .failed, .skipped: true
        }
    }
}

/// One step of a run, as planned and as it turned out.
public struct ActionRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var runID: Int64
    /// The step's index in its run, from 0.
    public var position: Int
    /// `PlannedAction.Kind`'s raw value, kept as text so that history written by a newer
    /// version with more kinds still reads.
    public var kind: String
    public var target: String
    public var service: String?
    public var reason: String
    public var state: ActionState
    public var message: String?
    public var startedAt: Date?
    public var endedAt: Date?

    public init(
        id: Int64,
        runID: Int64,
        position: Int,
        kind: String,
        target: String,
        service: String?,
        reason: String,
        state: ActionState,
        message: String?,
        startedAt: Date?,
        endedAt: Date?
    ) {
        self.id = id
        self.runID = runID
        self.position = position
        self.kind = kind
        self.target = target
        self.service = service
        self.reason = reason
        self.state = state
        self.message = message
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    /// The action as the planner made it; nil when its kind is unknown to this version.
    public var plannedAction: PlannedAction? {
        PlannedAction.Kind(rawValue: kind).map { PlannedAction($0, target, service: service, reason: reason) }
    }
}
