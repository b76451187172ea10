/// Tells the service manager how the agent is doing (sd_notify in production).
public protocol ServiceStatusReporter: Sendable {
    /// The watchdog interval the service manager expects pings within, nil when none is set.
    var watchdogInterval: Double? { get }
    /// READY=1 with a status line.
    func ready(status: String)
    /// A new status line (`systemctl status` shows it).
    func status(_ text: String)
    /// A watchdog ping.
    func watchdog()
    /// STOPPING=1.
    func stopping()
}
