public import ReconcilerCore
import Synchronization

/// The agent's wait between syncs, played from a script: each wait takes the next event,
/// moves the mock clock on by the time it waited, and records how long the agent asked to
/// wait. When the script runs out, the agent is told to stop.
public final class ScriptedTriggers: AgentTriggers, Sendable {
    /// One scripted wake.
    public enum Event: Sendable, Equatable {
        /// The whole wait passes (the poll interval or the backoff runs out).
        case timeout
        /// SIGHUP after `after` seconds of the wait.
        case reload(after: Double)
        /// SIGTERM after `after` seconds of the wait.
        case stop(after: Double)
    }

    private let clock: MockClock
    private let state: Mutex<(events: [Event], waits: [Double], installed: Bool, stopping: Bool)>
    /// Called at each wait, before the event is played: a test changes the world here
    /// (commits, faults) between two syncs.
    private let between: @Sendable (Int) -> Void

    public init(_ events: [Event], clock: MockClock, between: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.clock = clock
        self.between = between
        state = Mutex((events, [], false, false))
    }

    /// The seconds the agent asked to wait, one per wait, in order.
    public var waits: [Double] { state.withLock { $0.waits } }

    public var installed: Bool { state.withLock { $0.installed } }

    public func install() { state.withLock { $0.installed = true } }

    public var stopRequested: Bool { state.withLock { $0.stopping } }

    public func wait(seconds: Double, tick: () -> Void) -> AgentWake {
        let index = state.withLock { state in
            state.waits.append(seconds)
            return state.waits.count - 1
        }
        between(index)
        tick()
        let event = state.withLock { state -> Event in
            guard !state.events.isEmpty else { return .stop(after: 0) }
            return state.events.removeFirst()
        }
        switch event {
        case .timeout:
            clock.advance(by: seconds)
            return .timeout
        case .reload(let after):
            clock.advance(by: min(after, seconds))
            return .reload
        case .stop(let after):
            clock.advance(by: min(after, seconds))
            state.withLock { $0.stopping = true }
            return .stop
        }
    }
}
