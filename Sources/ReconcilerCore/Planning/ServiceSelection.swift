/// `reconciler diff SERVICE…`: the part of a plan that concerns some services only. A name
/// selects a service (its unit, container and image) or a plain unit, by unit name or by the
/// unit name without its suffix, and also a unit the reconciler owns that is about to go.
/// The name of a replicated service (`blog`) selects every instance of it (`blog-1`,
/// `blog-2`, and an instance leaving after a scale-down); an instance's name selects that one.
public struct ServiceSelection: Sendable, Equatable {
    /// The names asked for, as given.
    public var names: [String]

    public init(names: [String]) {
        self.names = names
    }

    /// Every name a selection may use on this host, sorted: desired services and replicated
    /// services' names, desired and owned units by name and by stem.
    public static func knownNames(desired: DesiredHost, inventory: Inventory) -> [String] {
        var known = Set(desired.units.compactMap(\.service))
        known.formUnion(desired.units.compactMap(\.instance?.group))
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
    /// - Parameters:
    ///   - name: the unit's name.
    ///   - service: the service it runs (an instance's own name, `blog-2`), if any.
    ///   - group: the replicated service the instance belongs to (`blog`), if any.
    public func selects(unit name: String, service: String?, group: String? = nil) -> Bool {
        let wanted = Set(names)
        if let service, wanted.contains(service) { return true }
        if let group, wanted.contains(group) { return true }
        return wanted.contains(name) || wanted.contains(Self.stem(name))
    }

    /// Whether a desired unit belongs to the selection.
    public func selects(_ unit: DesiredUnit) -> Bool {
        selects(unit: unit.name, service: unit.service, group: unit.instance?.group)
    }

    /// The actions and refusals about the selected services and units. `daemon-reload`
    /// stays when a selected unit file is written or removed: without it nothing changes.
    public func plan(_ plan: Plan, desired: DesiredHost) -> Plan {
        let units = Dictionary(desired.units.map { ($0.name, $0) }) { first, _ in first }
        let selectedUnits = desired.units.filter { selects($0) }
        // A service is selected by its name or by its unit's: its image goes with it, found by
        // reference since instances share one image recorded under one of their names.
        let selectedServices = Set(selectedUnits.compactMap(\.service)).union(names)
        let selectedImages = Set(selectedUnits.compactMap(\.image))
        let instances = Dictionary(
            desired.units.compactMap { unit in unit.instance.map { (unit.service ?? unit.name, $0.group) } }
        ) { first, _ in first }
        let services = Set(desired.units.compactMap { $0.instance?.group ?? $0.service })
        // A unit, or a file of a service, by what the desired state says of it; one leaving
        // the desired state by its name.
        let selectsTarget = { (target: String, service: String?) -> Bool in
            if let unit = units[target] { return selects(unit) }
            let instance = service ?? (target.hasSuffix(".service") ? Self.stem(target) : "")
            let group = instances[instance] ?? Self.group(ofInstance: instance, services: services)
            return selects(unit: target, service: service, group: group)
        }
        var actions = plan.actions.filter { action in
            switch action.kind {
            case .daemonReload: return false
            case .buildImage, .pullImage:
                return selectedImages.contains(action.target) || action.service.map(selectedServices.contains) ?? false
            default: return selectsTarget(action.target, action.service)
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
        let refusals = plan.refusals.filter { selectsTarget($0.unit, nil) }
        return Plan(actions: actions, refusals: refusals)
    }

    /// The replicated service a name no longer in the desired state was an instance of:
    /// `blog-3` after `blog` went from 3 instances to 2 (or to a single service). Only services
    /// still in the desired state count, so a removed `web-2` is not an instance of nothing.
    static func group(ofInstance name: String, services: Set<String>) -> String? {
        guard let dash = name.lastIndex(of: "-"), let index = Int(name[name.index(after: dash)...]),
            (1...Replicas.maximumCount).contains(index), name.hasSuffix("-\(index)")
        else { return nil }
        let group = String(name[..<dash])
        return services.contains(group) ? group : nil
    }

    /// `blog.service` -> `blog`.
    static func stem(_ unit: String) -> String {
        guard let dot = unit.lastIndex(of: ".") else { return unit }
        return String(unit[..<dot])
    }
}
