/// What woke the agent between two syncs.
public enum AgentWake: Sendable, Equatable {
    /// The poll interval (or the backoff) ran out.
    case timeout
    /// Sync now: SIGHUP, `systemctl reload reconciler`.
    case reload
    /// Stop: SIGTERM or SIGINT.
    case stop
}

/// The agent's wait between syncs, which the operator's signals cut short: process signals
/// in production, a script of events in the engine's tests.
public protocol AgentTriggers: Sendable {
    /// Starts listening (signal handlers); called once, before the first sync.
    func install()
    /// A stop was requested: finish the step in progress, then exit.
    var stopRequested: Bool { get }
    /// Waits up to `seconds`, calling `tick` about every second (watchdog pings), and returns
    /// early when a signal arrives.
    func wait(seconds: Double, tick: () -> Void) -> AgentWake
}
