/// One unit as listed by the service manager's `ListUnits` call.
public struct UnitStatus: Sendable, Hashable, Codable {
    /// The unit name, e.g. "blog.service".
    public var name: String
    /// The unit's `Description=`.
    public var description: String
    /// "loaded", "not-found", "masked", ...
    public var loadState: String
    /// "active", "inactive", "failed", "activating", ...
    public var activeState: String
    /// The type-specific sub-state, e.g. "running" or "dead".
    public var subState: String

    public init(name: String, description: String, loadState: String, activeState: String, subState: String) {
        self.name = name
        self.description = description
        self.loadState = loadState
        self.activeState = activeState
        self.subState = subState
    }
}
