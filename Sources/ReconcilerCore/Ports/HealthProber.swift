/// Runs health checks: HTTP, TCP and command probes on the host in production, scripted
/// outcomes in the engine's tests.
public protocol HealthProber: Sendable {
    /// Probes until the check passes or its timeout ends.
    func wait(for check: HealthCheck) -> HealthOutcome

    /// Probes once, for a poll that changed nothing: is the service still healthy?
    func probe(_ check: HealthCheck) -> HealthOutcome
}

/// How a health check ended.
public struct HealthOutcome: Sendable, Equatable {
    public var passed: Bool
    /// The last failure, for the error message; "ok" when it passed.
    public var detail: String
    /// How long the check took.
    public var seconds: Double

    public init(passed: Bool, detail: String, seconds: Double) {
        self.passed = passed
        self.detail = detail
        self.seconds = seconds
    }
}
