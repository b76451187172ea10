public import FoundationEssentials
public import ReconcilerCore

/// What `reconciler status` shows beyond systemd's own state: where the desired state comes
/// from, what the state store remembers, and how every unit the reconciler owns is doing.
public struct HostStatus: Sendable, Equatable {
    /// The configured source; nil when no repository URL is configured.
    public var repository: RepositoryStatus?
    /// Empty when nothing was recorded yet (no state store).
    public var summary: StoreSummary
    /// The units of the inventory, by name.
    public var units: [OwnedUnitStatus]

    public init(repository: RepositoryStatus?, summary: StoreSummary, units: [OwnedUnitStatus]) {
        self.repository = repository
        self.summary = summary
        self.units = units
    }
}

/// The repository and the reference the host follows, with any password in the URL hidden.
public struct RepositoryStatus: Sendable, Equatable, Codable {
    public var url: String
    /// Exactly one of these is set, as configured.
    public var branch: String?
    public var tag: String?
    public var commit: String?
    /// True when this is the repository of the last recorded run (it may have come from
    /// `--repo`), false when it is only the configured one.
    public var lastRun = false

    public init(url: String, branch: String? = nil, tag: String? = nil, commit: String? = nil) {
        self.url = url
        self.branch = branch
        self.tag = tag
        self.commit = commit
    }
}

/// One unit the reconciler owns, as systemd sees it now.
public struct OwnedUnitStatus: Sendable, Equatable, Codable {
    public var name: String
    /// The commit the unit file was last written from.
    public var commit: String
    public var writtenAt: Date
    public var loadState: String
    public var activeState: String
    public var subState: String
    /// `enabled`, `disabled`, ... or empty when the file is gone.
    public var unitFileState: String
    /// The file on disk still carries the ownership marker.
    public var marked: Bool
    /// The container of a service unit; nil for plain units.
    public var container: ContainerStatus?
    /// Why the unit could not be read, when it could not.
    public var problem: String?

    public init(
        name: String, commit: String, writtenAt: Date, loadState: String = "", activeState: String = "",
        subState: String = "", unitFileState: String = "", marked: Bool = false, container: ContainerStatus? = nil,
        problem: String? = nil
    ) {
        self.name = name
        self.commit = commit
        self.writtenAt = writtenAt
        self.loadState = loadState
        self.activeState = activeState
        self.subState = subState
        self.unitFileState = unitFileState
        self.marked = marked
        self.container = container
        self.problem = problem
    }
}

/// The container a service unit runs, named after the unit's stem.
public struct ContainerStatus: Sendable, Equatable, Codable {
    public var name: String
    /// False when no container of that name exists (the unit removes it when it stops).
    public var exists: Bool
    public var running: Bool
    /// The id of the image the container was created from.
    public var imageID: String?
    /// The newest image the reconciler built or pulled for the service.
    public var image: String?
    /// Why the container engine could not be asked, when it could not.
    public var problem: String?

    public init(
        name: String, exists: Bool, running: Bool, imageID: String? = nil, image: String? = nil,
        problem: String? = nil
    ) {
        self.name = name
        self.exists = exists
        self.running = running
        self.imageID = imageID
        self.image = image
        self.problem = problem
    }
}

extension HostStatus {
    /// Reads the status without changing anything. A unit or container that cannot be read
    /// is reported on its row, not as a failure of the whole command (status is what one
    /// runs when things are broken).
    /// - Parameters:
    ///   - repository: the source the host follows, as shown (no password); nil when none is set.
    ///   - store: the state store, nil when none exists yet (nothing applied).
    /// - Throws: `ReconcileError` when the state store cannot be read.
    public static func read(
        repository: RepositoryStatus?, store: (any RunStore)?, units: any UnitManager,
        containers: any ContainerDriver
    ) throws(ReconcileError) -> HostStatus {
        guard let store else {
            return HostStatus(repository: repository, summary: StoreSummary(), units: [])
        }
        let summary: StoreSummary
        let records: [UnitRecord]
        do {
            summary = try store.summary()
            records = try store.units()
        } catch {
            throw ReconcileError(.store, "cannot read the state store: \(error)")
        }
        let rows = records.map { record in
            observe(record, units: units, containers: containers, store: store)
        }
        return HostStatus(repository: repository, summary: summary, units: rows)
    }

    private static func observe(
        _ record: UnitRecord, units: any UnitManager, containers: any ContainerDriver, store: any RunStore
    ) -> OwnedUnitStatus {
        var status = OwnedUnitStatus(name: record.name, commit: record.commit, writtenAt: record.writtenAt)
        let unit: ObservedUnit
        do {
            unit = try units.observe(record.name)
        } catch {
            status.problem = "\(error)"
            return status
        }
        status.loadState = unit.loadState
        status.activeState = unit.activeState
        status.subState = unit.subState
        status.unitFileState = unit.unitFileState
        status.marked = unit.ownerSource != nil
        guard status.marked, record.name.hasSuffix(".service") else { return status }
        status.container = container(
            named: String(record.name.dropLast(".service".count)), containers: containers, store: store)
        return status
    }

    /// The service's container, or nil when the unit is a plain one: neither a container
    /// of its name nor an image recorded for it.
    private static func container(
        named name: String, containers: any ContainerDriver, store: any RunStore
    ) -> ContainerStatus? {
        let image = (try? store.images(of: name))?.first?.reference
        do {
            guard let container = try containers.container(named: name) else {
                return image.map { ContainerStatus(name: name, exists: false, running: false, image: $0) }
            }
            return ContainerStatus(
                name: name, exists: true, running: container.running, imageID: container.imageID, image: image)
        } catch {
            // Without a recorded image this may be a plain unit: no container to complain about.
            return image.map {
                ContainerStatus(name: name, exists: false, running: false, image: $0, problem: "\(error)")
            }
        }
    }
}

extension RepositoryStatus {
    /// The repository a run recorded.
    public init(lastRun: RunRepository) {
        if let reference = lastRun.trackedReference {
            self.init(shownURL: lastRun.url, reference: reference)
        } else {
            self.init(url: lastRun.url)
        }
        self.lastRun = true
    }

    /// - Parameter shownURL: the URL with any password already hidden.
    public init(shownURL: String, reference: TrackedReference) {
        self.init(url: shownURL)
        switch reference {
        case .branch(let name): branch = name
        case .tag(let name): tag = name
        case .commit(let id): commit = id
        }
    }
}
