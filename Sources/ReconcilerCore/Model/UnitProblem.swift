/// One thing the unit verifier (`systemd-analyze verify`) said about a unit the reconciler
/// would write.
public struct UnitProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        /// systemd would ignore a setting or refuse the unit: the unit is not what was written.
        case error
        /// Worth a look, but the unit works as written: deprecations, other units not found.
        case warning
    }

    /// The unit's name, e.g. `blog.service`.
    public var unit: String
    /// The line in the unit file, when systemd names one.
    public var line: Int?
    public var severity: Severity
    /// systemd's words, without the file name and line.
    public var message: String

    public init(unit: String, line: Int? = nil, severity: Severity, message: String) {
        self.unit = unit
        self.line = line
        self.severity = severity
        self.message = message
    }

    /// Only errors stop a deploy.
    public var isBlocking: Bool { severity == .error }

    /// `blog.service:7: error: Unknown key 'ExecStrat' in section [Service], ignoring.`
    public var description: String {
        let place = line.map { "\(unit):\($0)" } ?? unit
        return "\(place): \(severity.rawValue): \(message)"
    }
}
