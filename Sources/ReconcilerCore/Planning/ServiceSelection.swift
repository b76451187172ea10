/// `reconciler diff SERVICE…`: the part of a plan that concerns some services only. A name
/// selects a service (its unit, container and image) or a plain unit, by unit name or by the
/// unit name without its suffix, and also a unit the reconciler owns that is about to go.
public struct ServiceSelection: Sendable, Equatable {
    /// The names asked for, as given.
    public var names: [String]

    public init(names: [String]) {
        self.names = names
    }

    /// Every name a selection may use on this host, sorted: desired services, desired and
    /// owned units by name and by stem.
    public static func knownNames(desired: DesiredHost, inventory: Inventory) -> [String] {
        var known = Set(desired.units.compactMap(\.service))
        for unit in desired.units.map(\.name) + Array(inventory.units) {
            known.insert(unit)
            known.insert(stem(unit))
        }
        return known.sorted()
    }

    /// The names that select nothing on this host, in the order given.
    public func unknownNames(desired: DesiredHost, inventory: Inventory) -> [String] {
        let known = Set(Self.knownNames(desired: desired, inventory: inventory))
        return names.filter { !known.contains($0) }
    }

    /// Whether a unit belongs to the selection.
    public func selects(unit name: String, service: String?) -> Bool {
        let wanted = Set(names)
        if let service, wanted.contains(service) { return true }
        return wanted.contains(name) || wanted.contains(Self.stem(name))
    }

    /// The actions and refusals about the selected services and units. `daemon-reload`
    /// stays when a selected unit file is written or removed: without it nothing changes.
    public func plan(_ plan: Plan, desired: DesiredHost) -> Plan {
        let services = Dictionary(desired.units.map { ($0.name, $0.service) }) { first, _ in first }
        // A service is selected by its name or by its unit's: its image goes with it.
        let selectedServices = Set(
            desired.units.filter { selects(unit: $0.name, service: $0.service) }.compactMap(\.service)
        )
        .union(names)
        var actions = plan.actions.filter { action in
            switch action.kind {
            case .daemonReload: return false
            case .buildImage, .pullImage: return action.service.map(selectedServices.contains) ?? false
            default: return selects(unit: action.target, service: action.service ?? services[action.target] ?? nil)
            }
        }
        let touchesFiles = actions.contains { $0.kind == .writeUnit || $0.kind == .removeUnit }
        if touchesFiles, let reload = plan.actions.first(where: { $0.kind == .daemonReload }),
            let position = plan.actions.firstIndex(of: reload)
        {
            // Keep the reload where the planner put it relative to the selected actions.
            let before = plan.actions[..<position].filter { actions.contains($0) }.count
            actions.insert(reload, at: before)
        }
        let refusals = plan.refusals.filter { selects(unit: $0.unit, service: services[$0.unit] ?? nil) }
        return Plan(actions: actions, refusals: refusals)
    }

    /// `blog.service` -> `blog`.
    static func stem(_ unit: String) -> String {
        guard let dot = unit.lastIndex(of: ".") else { return unit }
        return String(unit[..<dot])
    }
}
