public import ReconcilerCore
import Synchronization

/// Keeps every run outcome the engine reported, in order.
public final class RecordingOutcomes: RunOutcomeReporting, Sendable {
    private let outcomes = Mutex<[RunOutcome]>([])

    public init() {}

    public var reported: [RunOutcome] { outcomes.withLock { $0 } }
    public var last: RunOutcome? { reported.last }

    public func runFinished(_ outcome: RunOutcome) { outcomes.withLock { $0.append(outcome) } }
}
