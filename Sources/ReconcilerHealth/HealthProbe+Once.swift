import FoundationEssentials
public import ReconcilerCore

extension HealthProbe {
    /// One probe, no retries: a poll with nothing to apply asks whether the service is
    /// still healthy, and must not wait out a failing check's whole timeout.
    public func probe(_ check: HealthCheck) -> HealthOutcome {
        let started = clock.now()
        let result = Self.probeOnce(check.probe)
        let seconds = clock.now().timeIntervalSince(started)
        switch result {
        case .success: return HealthOutcome(passed: true, detail: "ok", seconds: seconds)
        case .failure(let failure): return HealthOutcome(passed: false, detail: failure.message, seconds: seconds)
        }
    }
}
