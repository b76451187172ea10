public import ReconcilerCore
import Synchronization

/// Health checks decided by the test: each probe passes unless the test made it fail, and
/// every check asked for is recorded. No time passes.
public final class FakeHealthProber: HealthProber, Sendable {
    private let state = Mutex<(failing: [HealthCheck.Probe: String], checked: [HealthCheck.Probe])>(([:], []))
    private let hook = Mutex<(@Sendable () -> Void)?>(nil)

    public init() {}

    /// Makes `probe` fail with `detail` (nil: pass again).
    public func fail(_ probe: HealthCheck.Probe, detail: String? = "connection refused") {
        state.withLock { $0.failing[probe] = detail }
    }

    /// Every check waited for (after a change), in order.
    public var checked: [HealthCheck.Probe] { state.withLock { $0.checked } }

    /// Runs `body` at the start of every wait, as if time passed there (nil: no longer).
    public func onWait(_ body: (@Sendable () -> Void)?) {
        hook.withLock { $0 = body }
    }

    /// Checks asked for with a single probe, for polls that changed nothing.
    public var probed: [HealthCheck.Probe] { probes.withLock { $0 } }
    private let probes = Mutex<[HealthCheck.Probe]>([])

    public func probe(_ check: HealthCheck) -> HealthOutcome {
        probes.withLock { $0.append(check.probe) }
        return outcome(check)
    }

    public func wait(for check: HealthCheck) -> HealthOutcome {
        hook.withLock { $0 }?()
        state.withLock { $0.checked.append(check.probe) }
        return outcome(check)
    }

    private func outcome(_ check: HealthCheck) -> HealthOutcome {
        state.withLock { state in
            if let detail = state.failing[check.probe] {
                return HealthOutcome(passed: false, detail: detail, seconds: 0)
            }
            return HealthOutcome(passed: true, detail: "ok", seconds: 0)
        }
    }
}
