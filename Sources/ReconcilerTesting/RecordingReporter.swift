public import ReconcilerCore
import Synchronization

/// Keeps what the agent told the service manager, in order: "READY=1 …", "STATUS=…",
/// "WATCHDOG=1", "STOPPING=1".
public final class RecordingReporter: ServiceStatusReporter, Sendable {
    private let messages = Mutex<[String]>([])
    public let watchdogInterval: Double?

    /// - Parameter watchdogInterval: nil starts no watchdog thread.
    public init(watchdogInterval: Double? = nil) {
        self.watchdogInterval = watchdogInterval
    }

    public var sent: [String] { messages.withLock { $0 } }

    public func ready(status: String) { messages.withLock { $0.append("READY=1 STATUS=\(status)") } }
    public func status(_ text: String) { messages.withLock { $0.append("STATUS=\(text)") } }
    public func watchdog() { messages.withLock { $0.append("WATCHDOG=1") } }
    public func stopping() { messages.withLock { $0.append("STOPPING=1") } }
}
