public import FoundationEssentials

/// The time, for records and durations, and waiting: the system's clock in production, a
/// clock the test moves in the engine's tests.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Waits `seconds` (the mock clock moves forward at once instead).
    func sleep(seconds: Double)
}
