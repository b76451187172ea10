/// Where an action stands in a rolling update: the engine starts, restarts or reloads the
/// instances of a replicated service with `update: rolling` one at a time, each passing its
/// health check before the next is touched, and rolls the release back if one fails.
public struct RollingStep: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The replicated service as written (`blog`).
    public var group: String
    /// 1-based position among this plan's steps of the group, in plan order.
    public var step: Int
    /// How many of this plan's actions the group's update takes.
    public var steps: Int

    public init(group: String, step: Int, steps: Int) {
        self.group = group
        self.step = step
        self.steps = steps
    }

    /// The kinds of action the engine health-gates for a rolling instance.
    public static let gatedKinds: Set<PlannedAction.Kind> = [.start, .restart, .reload]

    /// `rolling update of blog, 1 of 2`: how the plan, the journal and history name it.
    public var description: String { "rolling update of \(group), \(step) of \(steps)" }
}
