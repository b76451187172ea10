public import ReconcilerCore

/// Reads what runs on the host for the units and services a run cares about: the desired
/// ones and the ones the reconciler owns. Foreign units are looked at only by name, to
/// detect clashes; nothing else on the host is listed.
public struct HostObserver {
    public var units: any UnitManager
    public var containers: any ContainerDriver

    public init(units: any UnitManager, containers: any ContainerDriver) {
        self.units = units
        self.containers = containers
    }

    public func observe(desired: DesiredHost, inventory: Inventory) throws(ReconcileError) -> ObservedState {
        var state = ObservedState()
        let names = Set(desired.units.map(\.name)).union(inventory.units).sorted()
        for name in names {
            do {
                state.units[name] = try units.observe(name)
            } catch {
                throw ReconcileError(.observe, "cannot read the state of \(name) from systemd: \(error)")
            }
        }
        do {
            state.files = try units.observeFiles()
        } catch {
            throw ReconcileError(.observe, "cannot read the files under \(ConfigFile.hostDirectory): \(error)")
        }
        do {
            var asked = Set<String>()
            for unit in desired.units {
                guard let service = unit.service, let reference = unit.image else { continue }
                // A service unit that is active, runs the desired file and needs no reload started
                // its container from that file's image reference (the unit removes the container when
                // it stops). Image references of built images are content-addressed, so the container
                // runs the desired image: skip the container runtime, whose CLI costs tens of
                // milliseconds a call, and keep an idle sync cheap.
                if let observed = state.units[unit.name], observed.isActive, !observed.needsDaemonReload,
                    observed.fileContents == unit.contents, !Self.isMutableTag(reference)
                {
                    state.containers[service] = ObservedContainer(name: service, imageID: Self.asStarted, running: true)
                    state.images[reference] = Self.asStarted
                    continue
                }
                state.containers[service] = try containers.container(named: service)
                state.images[reference] = try containers.imageID(reference)
                asked.insert(reference)
            }
            for image in desired.images where !asked.contains(image.reference) && state.images[image.reference] == nil {
                state.images[image.reference] = try containers.imageID(image.reference)
            }
            // Services on the fast path run "the image as started"; when another service shares
            // the reference and asked the runtime for its real id, they run that one too.
            for (service, container) in state.containers where container.imageID == Self.asStarted {
                guard let reference = desired.units.first(where: { $0.service == service })?.image,
                    let id = state.images[reference]
                else { continue }
                state.containers[service]?.imageID = id
            }
        } catch {
            throw ReconcileError(
                .observe, "cannot read containers or images from \(containers.runtime.rawValue): \(error)")
        }
        return state
    }

    /// Stands for "the image the container was started from" on both sides of the comparison.
    static let asStarted = "as-started"

    /// Tags that registries move (`latest`, or no tag): the running container may lag behind
    /// what the tag points at locally, so those are always asked about.
    static func isMutableTag(_ reference: String) -> Bool {
        guard !reference.hasPrefix("localhost/reconciler/") else { return false }
        let name = reference.split(separator: "/").last ?? ""
        return !name.contains(":") || name.hasSuffix(":latest")
    }
}
