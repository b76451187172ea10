/// Which units the reconciler may touch: a desired unit whose name another unit holds is
/// refused, and a unit leaves only when both the inventory and the file's marker say it is ours.
extension Planner {
    /// Why `unit` must not be written, or nil when its name is free or already ours.
    static func ownershipRefusal(for unit: DesiredUnit, observed: ObservedUnit?, inventory: Inventory) -> Refusal? {
        // A file equal to the desired one carries our marker: skip reading it again.
        guard let observed, observed.fileContents != unit.contents else { return nil }
        // In the configured unitDirectory, as the observer saw it.
        let path = observed.filePath
        if observed.fileContents != nil, observed.ownerSource == nil {
            return Refusal(
                unit: unit.name,
                reason: "a unit file not written by reconciler already exists at \(path); "
                    + "rename the unit in git or remove the file by hand")
        }
        // Our file would silently override a package's or an admin's unit of the same name.
        if observed.fileContents == nil, !inventory.units.contains(unit.name), observed.isKnownToSystemd,
            !observed.fragmentPath.isEmpty, observed.fragmentPath != path
        {
            return Refusal(
                unit: unit.name,
                reason: "systemd already loads \(unit.name) from \(observed.fragmentPath), a unit reconciler "
                    + "does not own, and \(path) would override it; rename the unit in git")
        }
        // Units systemd makes without a file: slices and scopes of its own, mounts and swaps
        // from the kernel's tables, devices from udev. A file of ours would take them over.
        if observed.fileContents == nil, !inventory.units.contains(unit.name), observed.fragmentPath.isEmpty,
            observed.loadState != "not-found" || observed.activeState != "inactive"
        {
            return Refusal(
                unit: unit.name,
                reason: "systemd already knows \(unit.name) (\(observed.loadState), \(observed.activeState)) and "
                    + "reconciler did not write it; rename the unit in git")
        }
        return nil
    }

    /// Why the service of `unit` must not start, or nil when no container holds its name or
    /// the one that does is ours. Its unit would fail to start next to a foreign container of
    /// the same name, and must never remove it: that container is someone else's to keep.
    static func containerRefusal(for unit: DesiredUnit, observed: ObservedState) -> Refusal? {
        guard let service = unit.service, let container = observed.containers[service], !container.owned else {
            return nil
        }
        return Refusal(
            unit: unit.name,
            reason: "a container named \(service) exists that reconciler did not create "
                + "(no \(ServiceRenderer.ownerLabel) label); rename the service or remove the container by hand")
    }

    /// A unit of the inventory that the desired state no longer names, as systemd sees it.
    struct LeavingUnit {
        var name: String
        var observed: ObservedUnit
        /// Its file is on disk and carries our marker, so it may be removed.
        var ownsFile: Bool
    }

    /// Inventory units that are not desired and still ours, sorted by name. A file without the
    /// marker was replaced by someone else; a unit systemd now loads from elsewhere is not ours.
    static func leavingUnits(desired: DesiredHost, observed: ObservedState, inventory: Inventory) -> [LeavingUnit] {
        let desiredNames = Set(desired.units.indices.map { desired.units[$0].name })
        var result: [LeavingUnit] = []
        // Sorted after the filter: on most runs nothing leaves, and sorting every name is the cost.
        for name in inventory.units.filter({ !desiredNames.contains($0) }).sorted() {
            guard let unit = observed.units[name] else { continue }
            if unit.fileContents != nil {
                if unit.ownerSource != nil { result.append(LeavingUnit(name: name, observed: unit, ownsFile: true)) }
            } else if unit.fragmentPath.isEmpty || unit.fragmentPath == unit.filePath {
                // The file is gone but systemd still runs what it loaded from it.
                result.append(LeavingUnit(name: name, observed: unit, ownsFile: false))
            }
        }
        return result
    }

    /// Stop, disable or remove a leaving unit.
    static func leavingAction(_ kind: PlannedAction.Kind, _ unit: LeavingUnit, _ context: Context) -> PlannedAction {
        let gone = unit.ownsFile ? "" : "; its file is already gone"
        let commit = context.commit.isEmpty ? "" : " of commit \(context.commit)"
        return PlannedAction(kind, unit.name, reason: "not in the desired state\(commit)\(gone)")
    }
}
