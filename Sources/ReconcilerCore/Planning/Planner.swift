/// Choices of the host's configuration that widen what a plan may do.
public struct PlanningPolicy: Sendable, Equatable {
    /// Let a commit with no units remove every unit the reconciler owns (Argo CD's allowEmpty).
    /// Off by default: an empty desired state is more often a broken checkout than an intent.
    public var allowRemovingEveryUnit: Bool

    public init(allowRemovingEveryUnit: Bool = false) {
        self.allowRemovingEveryUnit = allowRemovingEveryUnit
    }
}

/// Compares the desired state of a host with what runs on it and lists, in order, what a run
/// must do to converge. Pure: the same inputs always give the same plan, byte for byte.
///
/// Phases: build or pull missing images (before anything stops), stop then disable units
/// leaving the desired state, write and remove unit files, one daemon-reload, enable or
/// disable desired units, then start or restart them in `after:` order.
public enum Planner {
    public static func plan(
        desired: DesiredHost, observed: ObservedState, inventory: Inventory, policy: PlanningPolicy = PlanningPolicy()
    ) -> Plan {
        // Sorted here too: DesiredHost sorts on init, but its fields are mutable.
        var units = sorted(desired.units) { $0.name }
        var current = units.indices.map { observed.units[units[$0].name] }
        var refusals: [Refusal] = []
        var refused: [Int] = []
        var refusedServices: Set<String> = []
        for index in units.indices {
            if let refusal = ownershipRefusal(for: units[index], observed: current[index], inventory: inventory)
                ?? containerRefusal(for: units[index], observed: observed)
            {
                refusals.append(refusal)
                refused.append(index)
                if let service = units[index].service { refusedServices.insert(service) }
            }
        }
        for index in refused.reversed() {
            units.remove(at: index)
            current.remove(at: index)
        }
        if desired.units.isEmpty, !inventory.units.isEmpty, !policy.allowRemovingEveryUnit {
            let owned = inventory.units.sorted().joined(separator: ", ")
            refusals.append(
                Refusal(
                    unit: "*",
                    reason: "the commit would remove every unit reconciler owns (\(owned)); "
                        + "set allowEmpty in the host configuration to allow it"))
        }

        let context = Context(
            commit: desired.commit, units: units, current: current, observed: observed, inventory: inventory)
        let leaving = leavingUnits(desired: desired, observed: observed, inventory: inventory)
        // A refused service's image would only serve a unit that is not written.
        let desiredImages = sorted(desired.images) { $0.reference }
        let images = imageActions(
            refusedServices.isEmpty ? desiredImages : desiredImages.filter { !refusedServices.contains($0.service) },
            observed: observed)
        var actions = images
        actions += stopOrder(leaving).compactMap { $0.observed.isActive ? leavingAction(.stop, $0, context) : nil }
        actions += leaving.compactMap { $0.observed.isEnabled ? leavingAction(.disable, $0, context) : nil }

        let configFiles = configFileActions(desired, observed: observed, commitPhrase: context.commitPhrase)
        actions += configFiles
        let files = fileActions(context, leaving: leaving)
        actions += files
        let written = Set(files.lazy.filter { $0.kind == .writeUnit }.map(\.target))
        if let reload = daemonReload(context, files: files) { actions.append(reload) }

        actions += units.indices.compactMap { installAction($0, context) }
        let pending = Dictionary(images.map { ($0.target, $0.kind) }, uniquingKeysWith: { first, _ in first })
        for index in startOrder(units) where units[index].enable {
            let wasWritten = written.contains(units[index].name)
            let filesChanged = changedFiles(of: units[index], in: configFiles)
            if let action = runAction(
                index, context, written: wasWritten, filesChanged: filesChanged, pendingImages: pending)
            {
                actions.append(action)
            }
        }
        return Plan(actions: namingRollingSteps(actions, units: units), refusals: refusals)
    }

    /// The inputs every phase reads.
    struct Context {
        /// The desired units that are not refused, sorted by name.
        let units: [DesiredUnit]
        /// What systemd and the file system say of each of `units`, looked up once.
        let current: [ObservedUnit?]
        let observed: ObservedState
        let inventory: Inventory

        /// The commit as people read it in logs and `status` (Revision.shortID).
        let commit: String

        /// "commit 0123456789ab", or a neutral phrase when rendering from a working tree.
        let commitPhrase: String

        init(
            commit: String, units: [DesiredUnit], current: [ObservedUnit?], observed: ObservedState,
            inventory: Inventory
        ) {
            self.units = units
            self.current = current
            self.observed = observed
            self.inventory = inventory
            self.commit = String(commit.prefix(12))
            commitPhrase = self.commit.isEmpty ? "the desired state" : "commit \(self.commit)"
        }

        /// The unit has never been written on this host, as far as anyone can tell.
        func isNew(_ index: Int) -> Bool {
            guard let unit = current[index] else { return true }
            return unit.fileContents == nil && !inventory.units.contains(unit.name) && !unit.isKnownToSystemd
        }
    }

    /// Build or pull each missing image, once per reference, in reference order.
    static func imageActions(_ images: [DesiredImage], observed: ObservedState) -> [PlannedAction] {
        var seen: Set<String> = []
        var actions: [PlannedAction] = []
        for image in images where observed.images[image.reference] == nil && seen.insert(image.reference).inserted {
            switch image.origin {
            case .build(let context, _, _):
                actions.append(
                    PlannedAction(
                        .buildImage, image.reference, service: image.service,
                        reason: "image \(image.reference) is not present: build context \(context) changed "
                            + "or was never built"))
            case .pull:
                actions.append(
                    PlannedAction(
                        .pullImage, image.reference, service: image.service,
                        reason: "image \(image.reference) is not present"))
            }
        }
        return actions
    }

    /// Unit files to write and to remove, in one phase sorted by unit name.
    static func fileActions(_ context: Context, leaving: [LeavingUnit]) -> [PlannedAction] {
        var actions: [PlannedAction] = []
        for index in context.units.indices {
            let unit = context.units[index]
            let current = context.current[index]?.fileContents
            guard current != unit.contents else { continue }
            let reason: String
            if current != nil {
                reason = "the unit file differs from \(context.commitPhrase)"
            } else if context.inventory.units.contains(unit.name) {
                reason = "the unit file is missing"
            } else {
                reason = "new unit"
            }
            actions.append(PlannedAction(.writeUnit, unit.name, service: unit.service, reason: reason))
        }
        for unit in leaving where unit.ownsFile {
            actions.append(leavingAction(.removeUnit, unit, context))
        }
        return actions.sorted { $0.target < $1.target }
    }

    /// One daemon-reload for every file change of the run, or for files systemd has not loaded.
    static func daemonReload(_ context: Context, files: [PlannedAction]) -> PlannedAction? {
        let writes = files.count(where: { $0.kind == .writeUnit })
        let removals = files.count - writes
        let stale = context.units.indices.filter { context.current[$0]?.needsDaemonReload == true }
            .map { context.units[$0].name }
        var parts: [String] = []
        let unitFiles = { (count: Int) in "\(count) unit file\(count == 1 ? "" : "s")" }
        switch (writes, removals) {
        case (0, 0): break
        case (_, 0): parts.append("\(unitFiles(writes)) written")
        case (0, _): parts.append("\(unitFiles(removals)) removed")
        default: parts.append("\(unitFiles(writes)) written, \(removals) removed")
        }
        if !stale.isEmpty {
            parts.append("systemd has not loaded the current file of \(stale.joined(separator: ", "))")
        }
        guard !parts.isEmpty else { return nil }
        return PlannedAction(.daemonReload, "", reason: parts.joined(separator: "; "))
    }

    /// Enable what should start at boot, disable what should not.
    static func installAction(_ index: Int, _ context: Context) -> PlannedAction? {
        let unit = context.units[index]
        let observed = context.current[index]
        let isEnabled = observed?.isEnabled ?? false
        if unit.enable {
            // Without [Install] systemd cannot enable a unit; asking every run would be endless drift.
            guard !isEnabled, UnitFileText.hasInstallSection(unit.contents) else { return nil }
            let state = observed?.unitFileState ?? ""
            let reason = context.isNew(index) ? "new unit" : "unit is \(state.isEmpty ? "not enabled" : state)"
            return PlannedAction(.enable, unit.name, service: unit.service, reason: reason)
        }
        guard isEnabled else { return nil }
        return PlannedAction(.disable, unit.name, service: unit.service, reason: "the desired state has enable: false")
    }

    /// Start a unit that is not running; restart one that runs an old file, image or no container;
    /// reload one whose files alone changed and that declares how it reloads; start (that is,
    /// wait for) one that is still activating.
    static func runAction(
        _ index: Int, _ context: Context, written: Bool, filesChanged: String? = nil,
        pendingImages: [String: PlannedAction.Kind]
    ) -> PlannedAction? {
        let unit = context.units[index]
        guard let observed = context.current[index], observed.isActive else {
            let state = context.current[index]?.activeState ?? "inactive"
            let reason = context.isNew(index) ? "new unit" : "unit is \(state)"
            return PlannedAction(.start, unit.name, service: unit.service, reason: reason)
        }
        var reasons: [String] = []
        if written {
            reasons.append("its unit file was rewritten")
        } else if observed.needsDaemonReload {
            // It runs what systemd loaded before: a run that wrote the file but died before
            // the reload and restart must not leave the old definition running.
            reasons.append("it runs an older load of its unit file")
        }
        if let image = unit.image, let kind = pendingImages[image] {
            reasons.append("image \(image) is being \(kind == .buildImage ? "built" : "pulled")")
        }
        if let service = unit.service {
            if let container = context.observed.containers[service] {
                if let image = unit.image, pendingImages[image] == nil, let expected = context.observed.images[image],
                    imageID(container.imageID) != imageID(expected)
                {
                    reasons.append(
                        "container \(service) runs image \(shortImageID(container.imageID)), "
                            + "\(image) is \(shortImageID(expected))")
                }
            } else {
                reasons.append("container \(service) is missing")
            }
        }
        if let filesChanged {
            // The least disruptive action that works: a reload keeps the process and its
            // connections. Anything else changed too means a restart, which reads the files anyway.
            if reasons.isEmpty, unit.reloads, observed.activeState == "active" {
                return PlannedAction(.reload, unit.name, service: unit.service, reason: filesChanged)
            }
            reasons.append(filesChanged)
        }
        guard !reasons.isEmpty else {
            // Still starting: a run killed after queueing the start job, or a service waiting to
            // be restarted after a crash. A start job waits for it and fails if it does not come
            // up, where doing nothing would call the host converged while the unit is not running.
            guard observed.activeState == "activating" else { return nil }
            return PlannedAction(
                .start, unit.name, service: unit.service, reason: "unit is activating (\(observed.subState))")
        }
        return PlannedAction(.restart, unit.name, service: unit.service, reason: reasons.joined(separator: "; "))
    }

    /// `items` sorted by `key`, the same array when it already is (as DesiredHost keeps it).
    static func sorted<Item>(_ items: [Item], by key: (Item) -> String) -> [Item] {
        let inOrder = items.indices.dropFirst().allSatisfy { key(items[$0 - 1]) <= key(items[$0]) }
        return inOrder ? items : items.sorted { key($0) < key($1) }
    }

    /// An image id without its digest algorithm: docker says `sha256:9f8e…`, podman `9f8e…`.
    static func imageID(_ id: String) -> Substring {
        id.hasPrefix("sha256:") ? id.dropFirst("sha256:".count) : Substring(id)
    }

    /// The 12 hex digits `podman images` and `docker ps` show.
    static func shortImageID(_ id: String) -> String { String(imageID(id).prefix(12)) }
}
