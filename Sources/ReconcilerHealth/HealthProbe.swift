import Foundation
public import ReconcilerCore

/// Runs a service's health check on this host until it passes or its timeout ends.
///
/// Every try is bounded by the time the check has left: a connect to an address that drops
/// SYNs, a server that never answers and a command that hangs are all cut off at the check's
/// timeout, so a check ends within its timeout plus one interval. Tries start close together
/// (50 ms, doubling up to `interval`): a service is often up within a few hundred ms of its
/// start, and a fixed 0.5 s wait would add up to that much to every rollout. HTTP is spoken over a plain
/// socket (HTTP/1.0, one GET), to keep libcurl out of a statically linked agent; health
/// endpoints are local (127.0.0.1) and plain HTTP.
public struct HealthProbe: HealthProber {
    /// Longest wait between two tries.
    public var interval: Double
    /// The wait after the first failed try; each later wait doubles, up to `interval`.
    public var firstInterval: Double
    /// Times the check and waits between tries.
    public var clock: any WallClock
    /// Where `command:` probes named without a `/` are looked up, and the PATH they run with.
    public var searchPath: String

    /// systemd's default PATH for services, used when the agent has none.
    public static let defaultSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// - Parameter searchPath: the PATH for command probes; nil means the agent's own PATH, or
    ///   `defaultSearchPath` when it has none.
    public init(interval: Double = 0.5, firstInterval: Double = 0.05, clock: any WallClock, searchPath: String? = nil) {
        self.interval = interval
        self.firstInterval = min(firstInterval, interval)
        self.clock = clock
        let inherited = ProcessInfo.processInfo.environment["PATH"].flatMap { $0.isEmpty ? nil : $0 }
        self.searchPath = searchPath ?? inherited ?? Self.defaultSearchPath
    }

    /// A check's timeout in seconds.
    static func seconds(_ timeout: Duration) -> Double {
        let parts = timeout.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    public func wait(for check: HealthCheck) -> HealthOutcome {
        let started = clock.now()
        let limit = Self.seconds(check.timeout)
        var detail = "not run"
        var delay = firstInterval
        while true {
            // A try that starts late still gets a moment: a check is never zero-length.
            let left = max(limit - clock.now().timeIntervalSince(started), 0.1)
            switch probeOnce(check.probe, seconds: left) {
            case .success:
                return HealthOutcome(passed: true, detail: "ok", seconds: clock.now().timeIntervalSince(started))
            case .failure(let failure):
                detail = failure.message
            }
            let elapsed = clock.now().timeIntervalSince(started)
            if elapsed + delay > limit {
                return HealthOutcome(passed: false, detail: detail, seconds: elapsed)
            }
            clock.sleep(seconds: delay)
            delay = min(delay * 2, interval)
        }
    }

    struct ProbeFailure: Error {
        var message: String
    }

    /// One try, which gives up after `seconds`.
    func probeOnce(_ probe: HealthCheck.Probe, seconds: Double) -> Result<Void, ProbeFailure> {
        switch probe {
        case .http(let url):
            return Self.http(url, seconds: seconds)
        case .tcp(let port):
            return ProbeSocket.connect(host: "127.0.0.1", port: port, seconds: seconds).map { $0.close() }
        case .command(let arguments):
            return command(arguments, seconds: seconds)
        }
    }
}
