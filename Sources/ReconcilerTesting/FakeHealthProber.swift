public import ReconcilerCore
import Synchronization

/// Health checks decided by the test: each probe passes unless the test made it fail, and
/// every check asked for is recorded. No time passes.
public final class FakeHealthProber: HealthProber, Sendable {
    private let state = Mutex<(failing: [HealthCheck.Probe: String], checked: [HealthCheck.Probe])>(([:], []))

    public init() {}

    /// Makes `probe` fail with `detail` (nil: pass again).
    public func fail(_ probe: HealthCheck.Probe, detail: String? = "connection refused") {
        state.withLock { $0.failing[probe] = detail }
    }

    /// Every probe checked, in order.
    public var checked: [HealthCheck.Probe] { state.withLock { $0.checked } }

    public func wait(for check: HealthCheck) -> HealthOutcome {
        state.withLock { state in
            state.checked.append(check.probe)
            if let detail = state.failing[check.probe] {
                return HealthOutcome(passed: false, detail: detail, seconds: 0)
            }
            return HealthOutcome(passed: true, detail: "ok", seconds: 0)
        }
    }
}
