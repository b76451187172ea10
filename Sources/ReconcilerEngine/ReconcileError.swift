public import ReconcilerCore

/// Why a run did not converge the host. Every case leaves the host as it was before the
/// failing step; the message says what failed, where, and what to do.
public struct ReconcileError: Error, Sendable, CustomStringConvertible {
    public enum Stage: String, Sendable, Codable {
        case configuration, lock, source, validation, refused, verification, observe, apply, health, store
    }

    public var stage: Stage
    public var message: String
    /// The commit concerned, when one was read.
    public var commit: String?
    /// Validation diagnostics, for `--output json`.
    public var diagnostics: [Diagnostic]

    public init(_ stage: Stage, _ message: String, commit: String? = nil, diagnostics: [Diagnostic] = []) {
        self.stage = stage
        self.message = message
        self.commit = commit
        self.diagnostics = diagnostics
    }

    public var description: String { message }
}
