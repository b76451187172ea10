/// What a run must do to converge the host, in order, each step with its reason.
public struct Plan: Sendable, Equatable, Codable {
    public var actions: [PlannedAction]
    /// Desired units the run must not write: their names belong to units the reconciler
    /// does not own. Any refusal stops the whole run before anything changes.
    public var refusals: [Refusal]

    public init(actions: [PlannedAction] = [], refusals: [Refusal] = []) {
        self.actions = actions
        self.refusals = refusals
    }

    /// In sync: nothing to do and nothing refused.
    public var isEmpty: Bool { actions.isEmpty && refusals.isEmpty }
}

public struct PlannedAction: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case buildImage = "build-image"
        case pullImage = "pull-image"
        case writeUnit = "write-unit"
        case removeUnit = "remove-unit"
        case writeFile = "write-file"
        case removeFile = "remove-file"
        case daemonReload = "daemon-reload"
        case enable
        case disable
        case start
        case restart
        /// `systemctl reload`: only the unit's files changed and the unit says how it reloads.
        case reload
        case stop
    }

    public var kind: Kind
    /// A unit name, an image reference, or empty for `daemon-reload`.
    public var target: String
    /// The service concerned, when there is one (for logs: RECONCILER_SERVICE).
    public var service: String?
    /// Why, in words an operator reads in `diff` and in the journal.
    public var reason: String
    /// For a start, restart or reload of an instance in a rolling update: its place in it
    /// (the reason says it too). Absent otherwise.
    public var rolling: RollingStep?

    public init(_ kind: Kind, _ target: String, service: String? = nil, reason: String) {
        self.kind = kind
        self.target = target
        self.service = service
        self.reason = reason
    }

    public var description: String {
        target.isEmpty ? "\(kind.rawValue): \(reason)" : "\(kind.rawValue) \(target): \(reason)"
    }
}

/// A desired unit whose name is taken by a unit the reconciler does not own.
public struct Refusal: Sendable, Equatable, Codable, CustomStringConvertible {
    public var unit: String
    public var reason: String

    public init(unit: String, reason: String) {
        self.unit = unit
        self.reason = reason
    }

    public var description: String { "\(unit): \(reason)" }
}
