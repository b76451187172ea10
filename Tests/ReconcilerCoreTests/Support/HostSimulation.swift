import ReconcilerCore

/// What applying a plan does to a host, as systemd and podman would report it afterwards:
/// enough of their behaviour to check that a plan converges, no more.
struct HostSimulation {
    var observed: ObservedState
    var inventory: Inventory

    mutating func apply(_ plan: Plan, desired: DesiredHost) {
        let units = Dictionary(uniqueKeysWithValues: desired.units.map { ($0.name, $0) })
        for action in plan.actions {
            let name = action.target
            switch action.kind {
            case .buildImage, .pullImage:
                observed.images[name] = PlanningFixtures.imageID(name)
                inventory.images.insert(name)
            case .writeUnit:
                var unit = observed.units[name] ?? ObservedUnit(name: name)
                unit.fileContents = units[name]?.contents
                unit.needsDaemonReload = unit.loadState != "not-found"
                observed.units[name] = unit
                inventory.units.insert(name)
            case .removeUnit:
                observed.units[name]?.fileContents = nil
                observed.units[name]?.needsDaemonReload = true
                inventory.units.remove(name)
            case .writeFile:
                if let file = desired.files.first(where: { $0.path == name }) {
                    observed.files[name] = ObservedFile(contents: file.contents, mode: file.mode)
                }
            case .removeFile:
                observed.files[name] = nil
            case .reload:
                break
            case .daemonReload:
                reload()
            case .enable:
                observed.units[name]?.unitFileState = "enabled"
            case .disable:
                let hasFile = observed.units[name]?.fileContents != nil
                observed.units[name]?.unitFileState = hasFile ? "disabled" : ""
            case .start, .restart:
                observed.units[name]?.activeState = "active"
                observed.units[name]?.subState = "running"
                if let service = units[name]?.service, let image = units[name]?.image,
                    let id = observed.images[image]
                {
                    observed.containers[service] = ObservedContainer(name: service, imageID: id, running: true)
                }
            case .stop:
                observed.units[name]?.activeState = "inactive"
                observed.units[name]?.subState = "dead"
                if name.hasSuffix(".service") { observed.containers[String(name.dropLast(".service".count))] = nil }
                // systemd forgets a stopped unit that has no file.
                if observed.units[name]?.loadState == "not-found" { observed.units[name] = nil }
            }
        }
    }

    /// systemd reloads every file: new ones load, removed ones are forgotten once stopped.
    private mutating func reload() {
        for (name, var unit) in observed.units {
            let path = "/etc/systemd/system/\(name)"
            // Units loaded from elsewhere (packages) are not ours to change.
            guard unit.fileContents != nil || unit.fragmentPath.isEmpty || unit.fragmentPath == path else { continue }
            unit.needsDaemonReload = false
            if let contents = unit.fileContents {
                let hasInstall = contents.contains("\n[Install]\n")
                unit.loadState = "loaded"
                unit.fragmentPath = path
                if !hasInstall {
                    unit.unitFileState = "static"
                } else if !unit.isEnabled {
                    unit.unitFileState = "disabled"
                }
                observed.units[name] = unit
            } else if unit.isActive {
                unit.loadState = "not-found"
                unit.fragmentPath = ""
                unit.unitFileState = ""
                observed.units[name] = unit
            } else {
                observed.units[name] = nil
            }
        }
    }
}
