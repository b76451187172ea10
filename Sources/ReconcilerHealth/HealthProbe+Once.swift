import FoundationEssentials
public import ReconcilerCore

extension HealthProbe {
    /// A quiet poll's probe may take this long at most, however long the check's timeout:
    /// it asks "still healthy?", and must not hold up the agent's loop.
    static let quietProbeSeconds = 5.0

    /// One probe, no retries: a poll with nothing to apply asks whether the service is
    /// still healthy, and must not wait out a failing check's whole timeout.
    public func probe(_ check: HealthCheck) -> HealthOutcome {
        let started = clock.now()
        let result = probeOnce(check.probe, seconds: min(Self.seconds(check.timeout), Self.quietProbeSeconds))
        let seconds = clock.now().timeIntervalSince(started)
        switch result {
        case .success: return HealthOutcome(passed: true, detail: "ok", seconds: seconds)
        case .failure(let failure): return HealthOutcome(passed: false, detail: failure.message, seconds: seconds)
        }
    }
}
