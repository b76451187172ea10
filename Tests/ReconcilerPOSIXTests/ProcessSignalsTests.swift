import Foundation
import ReconcilerCore
import ReconcilerPOSIX
import Testing

/// The agent's real signal handling: SIGHUP and SIGTERM sent to this test process.
@Suite(.serialized)
struct ProcessSignalsTests {
    @Test func aWaitEndsAtItsTimeoutWithoutASignal() {
        let signals = ProcessSignals()
        var ticks = 0
        let started = Date()

        let wake = signals.wait(seconds: 0.2) { ticks += 1 }

        #expect(wake == .timeout)
        #expect(Date().timeIntervalSince(started) >= 0.2)
        #expect(ticks >= 1)
    }

    @Test func sighupCutsTheWaitShortAndSigtermStopsTheAgent() throws {
        let signals = ProcessSignals()
        signals.install()
        // libdispatch registers its handlers asynchronously; a signal sent before that is
        // ignored (install set SIG_IGN), so give it a moment. The dispositions are left as
        // install set them: restoring the defaults could let a late signal end this process.
        Thread.sleep(forTimeInterval: 0.5)

        kill(getpid(), SIGHUP)
        let reload = signals.wait(seconds: 10) {}
        #expect(reload == .reload)
        #expect(!signals.stopRequested)

        kill(getpid(), SIGTERM)
        let stop = signals.wait(seconds: 10) {}
        #expect(stop == .stop)
        #expect(signals.stopRequested)
    }
}
