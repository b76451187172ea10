public import FoundationEssentials
public import ReconcilerCore
import Synchronization

/// A clock that only moves when told to, or when something sleeps on it: a test of poll
/// timing and backoff runs in microseconds and sees exactly the waits the code asked for.
public final class MockClock: WallClock, Sendable {
    private let state: Mutex<(now: Date, sleeps: [Double])>

    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex((start, []))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// Moves the clock on at once, and remembers the sleep.
    public func sleep(seconds: Double) {
        state.withLock { state in
            state.sleeps.append(seconds)
            state.now = state.now.addingTimeInterval(max(seconds, 0))
        }
    }

    /// Moves the clock on without a sleep being recorded.
    public func advance(by seconds: Double) {
        state.withLock { $0.now = $0.now.addingTimeInterval(seconds) }
    }

    /// Every sleep so far, in seconds.
    public var sleeps: [Double] { state.withLock { $0.sleeps } }
}
