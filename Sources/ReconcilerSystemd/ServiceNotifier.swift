internal import CSystemd
public import ReconcilerCore

/// Talks to the service manager that started us (sd_notify): readiness, status text and
/// watchdog pings. Every call is a no-op when not started by systemd as Type=notify.
public struct ServiceNotifier: Sendable {
    public init() {}

    /// The watchdog interval systemd expects pings within (WatchdogSec=), nil when none is set.
    public var watchdogInterval: Double? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return Double(microseconds) / 1_000_000
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func watchdog() { send("WATCHDOG=1") }
    public func reloading() { send("RELOADING=1") }
    public func stopping() { send("STOPPING=1") }

    private func send(_ state: String) {
        // A single line per field; a newline inside the status text would start a new field.
        _ = sd_notify(0, state)
    }
}

/// sd_notify is how the agent reports to systemd.
extension ServiceNotifier: ServiceStatusReporter {}
