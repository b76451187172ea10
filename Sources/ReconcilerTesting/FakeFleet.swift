public import FoundationEssentials
public import ReconcilerCore

/// The fleet port for the engine's tests: the gate answers what the test sets, and every
/// report the engine publishes is recorded.
public final class FakeFleet: FleetCoordinating {
    /// The gate's answer for a commit; a commit not listed passes.
    public var waits: [String: RingWait] = [:]
    public private(set) var asked: [String] = []
    public private(set) var published: [HostReport] = []

    public init() {}

    public func wait(for commit: String, now: Date) -> RingWait? {
        asked.append(commit)
        return waits[commit]
    }

    public func publish(_ report: HostReport, now: Date) {
        published.append(report)
    }
}
