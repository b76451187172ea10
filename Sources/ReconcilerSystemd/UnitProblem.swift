/// One thing `systemd-analyze verify` said about a unit the reconciler would write.
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

/// systemd-analyze could not give an answer: it did not start, was killed, or failed
/// without saying anything about the units.
public struct UnitVerifierError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var message: String
    /// The end of what systemd-analyze printed.
    public var outputTail: String

    public init(operation: String, message: String, outputTail: String = "") {
        self.operation = operation
        self.message = message
        self.outputTail = outputTail
    }

    public var description: String {
        var text = "\(operation): \(message)"
        if !outputTail.isEmpty {
            text += "\n" + outputTail.split(separator: "\n").map { "  | \($0)" }.joined(separator: "\n")
        }
        return text
    }
}
