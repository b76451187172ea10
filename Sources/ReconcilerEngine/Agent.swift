import Foundation
public import Logging
public import ReconcilerCore
public import ReconcilerGit
import ReconcilerSystemd

/// The daemon: a sync every poll interval (plus jitter), at once on SIGHUP, a clean stop on
/// SIGTERM, exponential backoff while syncs fail, and systemd told about all of it
/// (READY=1, STATUS=, WATCHDOG=1).
public final class Agent: @unchecked Sendable {
    private let reconciliation: Reconciliation
    private let configuration: HostConfiguration
    private let logger: Logger
    private let notifier = ServiceNotifier()
    private let signals = AgentSignals()
    /// Longest wait between syncs while they keep failing.
    static let maximumBackoff: Double = 300

    public init(configuration: HostConfiguration, launcher: RemoteHelperLauncher, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        reconciliation = Reconciliation(configuration: configuration, launcher: launcher, logger: logger)
    }

    /// Runs until SIGTERM or SIGINT; returns the process exit status.
    public func run() -> Int32 {
        signals.install()
        let watchdog = WatchdogPinger(notifier: notifier)
        watchdog.start()
        reconciliation.progress = { watchdog.progressed() }
        notifier.ready(status: "starting, first sync")
        logger.info(
            "agent started",
            metadata: ["interval": "\(configuration.pollInterval)", "host": "\(configuration.hostName)"])
        var failures = 0
        while !signals.stopRequested {
            watchdog.progressed()
            let delay: Double
            do throws(ReconcileError) {
                let report = try reconciliation.once(waitForLock: true)
                failures = 0
                let applied = report.commit.prefix(12)
                let result = report.actions.isEmpty ? "in sync" : "applied \(report.actions.count) actions"
                notifier.status("\(applied): \(result) at \(Self.clock())")
                delay = Self.jittered(configuration.pollInterval)
            } catch {
                failures += 1
                delay = Self.backoff(interval: configuration.pollInterval, failures: failures)
                notifier.status(
                    "last sync failed at \(Self.clock()) (\(error.stage.rawValue)); retry in \(Int(delay)) s")
                logger.warning(
                    "sync failed, retrying in \(Int(delay.rounded())) s",
                    metadata: [
                        "failures": "\(failures)", "retry_seconds": "\(Int(delay.rounded()))",
                        "stage": "\(error.stage.rawValue)",
                    ])
            }
            if signals.waitForWake(seconds: delay, tick: { watchdog.progressed() }) == .reload {
                logger.info("sync requested (SIGHUP)")
            }
        }
        notifier.stopping()
        logger.info("agent stopped")
        return 0
    }

    /// The poll interval plus up to 10% random jitter, so a fleet does not poll in lockstep.
    static func jittered(_ interval: Double) -> Double {
        interval + Double.random(in: 0...(interval * 0.1))
    }

    /// interval × 2^failures, capped, jittered.
    static func backoff(interval: Double, failures: Int) -> Double {
        let raw = interval * pow(2, Double(min(failures, 16)))
        return jittered(min(raw, max(maximumBackoff, interval)))
    }

    private static func clock() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date()) + " UTC"
    }
}
