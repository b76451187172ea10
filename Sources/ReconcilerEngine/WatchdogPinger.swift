import Foundation
import ReconcilerSystemd

/// Pings systemd's watchdog from its own thread, but only while the agent's main loop shows
/// progress: a loop stuck longer than its longest legitimate step (an image build) stops the
/// pings, and systemd restarts the agent. A stopped or frozen process pings nothing at all.
final class WatchdogPinger: @unchecked Sendable {
    private let notifier: ServiceNotifier
    private let lock = NSLock()
    private var lastProgress = Date()
    /// Longer than any single step may take (builds have a 30 minute deadline).
    static let maximumStall: Double = 35 * 60

    init(notifier: ServiceNotifier) {
        self.notifier = notifier
    }

    func progressed() {
        lock.withLock { lastProgress = Date() }
    }

    func start() {
        guard let interval = notifier.watchdogInterval else { return }
        let thread = Thread { [self] in
            while true {
                let stalled = lock.withLock { Date().timeIntervalSince(lastProgress) } > Self.maximumStall
                if !stalled { notifier.watchdog() }
                Thread.sleep(forTimeInterval: interval / 3)
            }
        }
        thread.name = "watchdog"
        thread.start()
    }
}
