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
        // Waits of 50 ms doubling to the 0.5 s interval, then tries every 0.5 s until 9.75 s:
        // the next one would start past the 10 s timeout.
        #expect(clock.sleeps == [0.05, 0.1, 0.2, 0.4] + Array(repeating: 0.5, count: 18))
        #expect(abs(outcome.seconds - 9.75) < 1e-9)
    }

    @Test(
        "The first retries come quickly and the waits double up to the interval",
        arguments: [
            (first: 0.05, interval: 0.5, expected: [0.05, 0.1, 0.2, 0.4, 0.5, 0.5]),
            (first: 0.1, interval: 0.3, expected: [0.1, 0.2, 0.3, 0.3, 0.3, 0.3]),
            (first: 1.0, interval: 0.5, expected: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
        ])
    func waitsDouble(first: Double, interval: Double, expected: [Double]) {
        let clock = SteppingClock()
        let probe = HealthProbe(interval: interval, firstInterval: first, clock: clock)

        _ = probe.wait(for: HealthCheck(probe: .command(["/usr/bin/false"]), timeout: .seconds(60)))

        #expect(Array(clock.sleeps.prefix(6)) == expected)
    }

    @Test func aCheckThatPassesAtOnceDoesNotWait() {
        let clock = SteppingClock()

        let outcome = HealthProbe(clock: clock).wait(
            for: HealthCheck(probe: .command(["/usr/bin/true"]), timeout: .seconds(10)))

        #expect(outcome == HealthOutcome(passed: true, detail: "ok", seconds: 0))
        #expect(clock.sleeps.isEmpty)
    }
}
