import Foundation
public import Logging
public import ReconcilerCore

/// The daemon: a sync every poll interval (plus jitter), at once on SIGHUP, a clean stop on
/// SIGTERM, exponential backoff while syncs fail, and the service manager told about all
/// of it (READY=1, STATUS=, WATCHDOG=1).
public final class Agent {
    private let reconciliation: Reconciliation
    private let configuration: HostConfiguration
    private let triggers: any AgentTriggers
    private let reporter: any ServiceStatusReporter
    private let clock: any WallClock
    private let logger: Logger
    /// Picks the jitter: 0...1 of 10% of the interval. Tests fix it.
    private let random: () -> Double
    /// Longest wait between syncs while they keep failing.
    static let maximumBackoff: Double = 300

    public init(
        configuration: HostConfiguration, ports: EnginePorts, triggers: any AgentTriggers,
        reporter: any ServiceStatusReporter, logger: Logger, random: @escaping () -> Double = { .random(in: 0...1) }
    ) {
        self.configuration = configuration
        self.triggers = triggers
        self.reporter = reporter
        self.clock = ports.clock
        self.logger = logger
        self.random = random
        reconciliation = Reconciliation(configuration: configuration, ports: ports, logger: logger)
    }

    /// Runs until SIGTERM or SIGINT; returns the process exit status.
    public func run() -> Int32 {
        triggers.install()
        let watchdog = WatchdogPinger(reporter: reporter, clock: clock)
        watchdog.start()
        reconciliation.progress = { watchdog.progressed() }
        reporter.ready(status: "starting, first sync")
        logger.info(
            "agent started",
            metadata: ["interval": "\(configuration.pollInterval)", "host": "\(configuration.hostName)"])
        var failures = 0
        // What started the next run, as history shows it: the schedule (the first sync at
        // start included) or an operator's SIGHUP.
        var trigger = "poll"
        while !triggers.stopRequested {
            watchdog.progressed()
            let delay: Double
            do throws(ReconcileError) {
                let report = try reconciliation.once(waitForLock: true, trigger: trigger)
                failures = 0
                let applied = report.commit.prefix(12)
                let result =
                    report.suspended != nil
                    ? "suspended, \(report.actions.count) actions not taken"
                    : report.degraded != nil
                        ? "degraded, waiting for a new commit or a retry"
                        : report.waiting.map { "ring gate: \($0)" }
                            ?? (report.actions.isEmpty ? "in sync" : "applied \(report.actions.count) actions")
                reporter.status("\(applied): \(result) at \(clockText())")
                delay = jittered(configuration.pollInterval)
            } catch {
                failures += 1
                delay = backoff(interval: configuration.pollInterval, failures: failures)
                reporter.status(
                    "last sync failed at \(clockText()) (\(error.stage.rawValue)); retry in \(Int(delay)) s")
                logger.warning(
                    "sync failed, retrying in \(Int(delay.rounded())) s",
                    metadata: [
                        "failures": "\(failures)", "retry_seconds": "\(Int(delay.rounded()))",
                        "stage": "\(error.stage.rawValue)",
                    ])
            }
            trigger = "poll"
            if triggers.wait(seconds: delay, tick: { watchdog.progressed() }) == .reload {
                logger.info("sync requested (SIGHUP)")
                trigger = "signal"
            }
        }
        reporter.stopping()
        logger.info("agent stopped")
        return 0
    }

    /// The poll interval plus up to 10% random jitter, so a fleet does not poll in lockstep.
    func jittered(_ interval: Double) -> Double {
        interval + interval * 0.1 * min(max(random(), 0), 1)
    }

    /// interval × 2^failures, capped at five minutes (or the interval, if longer), jittered.
    func backoff(interval: Double, failures: Int) -> Double {
        let raw = interval * pow(2, Double(min(failures, 16)))
        return jittered(min(raw, max(Self.maximumBackoff, interval)))
    }

    private func clockText() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: clock.now()) + " UTC"
    }
}
