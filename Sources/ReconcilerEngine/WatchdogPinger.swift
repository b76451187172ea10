import Foundation
import ReconcilerCore

/// Pings the service manager's watchdog from its own thread, but only while the agent's
/// main loop shows progress: a loop stuck longer than its longest legitimate step (an image
/// build) stops the pings, and systemd restarts the agent. A stopped or frozen process pings
/// nothing at all.
final class WatchdogPinger: @unchecked Sendable {
    private let reporter: any ServiceStatusReporter
    private let clock: any WallClock
    private let lock = NSLock()
    private var lastProgress: Date
    /// Longer than any single step may take (builds have a 30 minute deadline).
    static let maximumStall: Double = 35 * 60

    init(reporter: any ServiceStatusReporter, clock: any WallClock) {
        self.reporter = reporter
        self.clock = clock
        lastProgress = clock.now()
    }

    func progressed() {
        let now = clock.now()
        lock.withLock { lastProgress = now }
    }

    /// Whether the loop showed progress recently enough to deserve a ping.
    var isProgressing: Bool {
        let now = clock.now()
        return lock.withLock { now.timeIntervalSince(lastProgress) } <= Self.maximumStall
    }

    /// Starts the pinging thread when the service manager asked for a watchdog.
    func start() {
        guard let interval = reporter.watchdogInterval else { return }
        let thread = Thread { [self] in
            while true {
                if isProgressing { reporter.watchdog() }
                Thread.sleep(forTimeInterval: interval / 3)
            }
        }
        thread.name = "watchdog"
        thread.start()
    }
}
