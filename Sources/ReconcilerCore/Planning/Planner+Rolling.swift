/// Rolling updates named in the plan: the health gate lives in the engine, but an operator
/// reading `diff`, the journal or `history` should see that blog-1 and blog-2 go one at a time.
extension Planner {
    /// `actions` with each start, restart or reload of a rolling instance numbered within its
    /// group (`rolling update of blog, 1 of 2: …`, and `PlannedAction.rolling` for scripts).
    static func namingRollingSteps(_ actions: [PlannedAction], units: [DesiredUnit]) -> [PlannedAction] {
        let groups = Dictionary(
            units.compactMap { unit in
                unit.instance.flatMap { $0.update == .rolling ? (unit.name, $0.group) : nil }
            }
        ) { first, _ in first }
        guard !groups.isEmpty else { return actions }
        let group = { (action: PlannedAction) in
            RollingStep.gatedKinds.contains(action.kind) ? groups[action.target] : nil
        }
        var totals: [String: Int] = [:]
        for action in actions {
            if let name = group(action) { totals[name, default: 0] += 1 }
        }
        var taken: [String: Int] = [:]
        return actions.map { action in
            guard let name = group(action), let total = totals[name] else { return action }
            let step = taken[name, default: 0] + 1
            taken[name] = step
            var action = action
            let rolling = RollingStep(group: name, step: step, steps: total)
            action.rolling = rolling
            action.reason = "\(rolling): \(action.reason)"
            return action
        }
    }
}
