import Foundation
import ReconcilerCore
import ReconcilerHealth
import Synchronization
import Testing

/// The probe's retry loop on a clock that moves only when the probe sleeps: its timeout is
/// checked without waiting for it. The probes themselves run for real.
struct HealthProbeTimingTests {
    final class SteppingClock: WallClock {
        private let state = Mutex<(now: Date, sleeps: [Double])>((Date(timeIntervalSince1970: 0), []))

        func now() -> Date { state.withLock { $0.now } }

        func sleep(seconds: Double) {
            state.withLock {
                $0.sleeps.append(seconds)
                $0.now = $0.now.addingTimeInterval(seconds)
            }
        }

        var sleeps: [Double] { state.withLock { $0.sleeps } }
    }

    @Test func aCheckThatKeepsFailingGivesUpAtItsTimeoutWithTheLastFailure() {
        let clock = SteppingClock()
        let probe = HealthProbe(interval: 0.5, clock: clock)

        let outcome = probe.wait(for: HealthCheck(probe: .command(["/usr/bin/false"]), timeout: .seconds(10)))

        #expect(!outcome.passed)
        #expect(outcome.detail.contains("/usr/bin/false ended with"))
        // Tries at 0, 0.5, ... 10 s: the next one would start past the 10 s timeout.
        #expect(clock.sleeps == Array(repeating: 0.5, count: 20))
        #expect(outcome.seconds == 10)
    }

    @Test func aCheckThatPassesAtOnceDoesNotWait() {
        let clock = SteppingClock()

        let outcome = HealthProbe(clock: clock).wait(
            for: HealthCheck(probe: .command(["/usr/bin/true"]), timeout: .seconds(10)))

        #expect(outcome == HealthOutcome(passed: true, detail: "ok", seconds: 0))
        #expect(clock.sleeps.isEmpty)
    }
}
