/// What a valid desired state may still not do on one host: depend on a service or unit that is
/// not selected for it. `after: [db]` would otherwise become `Requires=db.service` on whatever
/// db.service this host has, and `Alias=`/`Also=` would reach a unit that is not ours here.
extension DesiredState {
    /// The errors of this desired state on `host`, at the documents that cause them; empty when
    /// `selecting(host:)` is safe to render.
    public func diagnostics(forHost host: HostIdentity) -> [Diagnostic] {
        let selected = selecting(host: host)
        let serviceNames = Set(selected.services.map(\.name))
        let unitNames = Set(selected.services.map(\.unitName) + selected.units.map(\.name))
        let allServices = Dictionary(services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let allUnits = Dictionary(
            services.map { ($0.unitName, $0.hosts) } + units.map { ($0.name, $0.hosts) },
            uniquingKeysWith: { first, _ in first })
        var result: [Diagnostic] = []
        for service in selected.services {
            for dependency in service.after where !serviceNames.contains(dependency) {
                let hosts = allServices[dependency].map { Self.describe($0.hosts) } ?? "not defined"
                result.append(
                    Diagnostic(
                        at: service.location, path: "after",
                        "names service \(dependency), which is not selected for host \(host.name) (its hosts:"
                            + " \(hosts)); select it for this host too or drop it from after:"))
            }
        }
        for unit in selected.units {
            for entry in InstallSection(of: unit.contents).entries
            where InstallSection.ownedNameKeys.contains(entry.key) && !unitNames.contains(entry.name) {
                let hosts = allUnits[entry.name].map(Self.describe) ?? "not defined"
                result.append(
                    InstallSectionChecks.diagnostic(
                        unit, entry,
                        "names a unit that is not selected for host \(host.name) (its hosts: \(hosts)), so here it"
                            + " would be a unit reconciler does not own; select it for this host too or drop it"))
            }
        }
        return result
    }

    /// `names [h2], labels role=db`, as a selector reads in a message.
    static func describe(_ selector: HostSelector?) -> String {
        guard let selector, !selector.names.isEmpty || !selector.labels.isEmpty else { return "every host" }
        var parts: [String] = []
        if !selector.names.isEmpty { parts.append("names [\(selector.names.joined(separator: ", "))]") }
        if !selector.labels.isEmpty {
            let labels = selector.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            parts.append("labels \(labels.joined(separator: ", "))")
        }
        return parts.joined(separator: ", ")
    }
}
