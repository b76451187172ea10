/// The outcome of reading and validating a desired-state folder.
public struct DesiredStateLoad: Sendable {
    /// The desired state, or nil when any error was found: validation is all-or-nothing.
    public var state: DesiredState?
    /// Every finding, sorted by file, line and column.
    public var diagnostics: [Diagnostic]

    public init(state: DesiredState?, diagnostics: [Diagnostic]) {
        self.state = state
        self.diagnostics = diagnostics
    }

    /// True when at least one diagnostic is an error (and so `state` is nil).
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
