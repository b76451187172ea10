public import Foundation
public import Logging
import ReconcilerContainers
public import ReconcilerCore
import ReconcilerGit
public import ReconcilerStore
public import ReconcilerSystemd

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
    /// Reads the status without changing anything: a missing state store is not created,
    /// and a unit or container that cannot be read is reported on its row, not as a failure
    /// of the whole command (status is what one runs when things are broken).
    /// - Throws: `ReconcileError` when an existing state store cannot be read.
    public static func read(
        configuration: HostConfiguration, systemd: SystemdManager, logger: Logger
    ) throws(ReconcileError) -> HostStatus {
        let repository = configuration.repositoryURL.map { RepositoryStatus(shown: $0, configuration.tracking) }
        let path = configuration.stateDirectory + "/" + StateStore.fileName
        guard FileManager.default.fileExists(atPath: path) else {
            return HostStatus(repository: repository, summary: StoreSummary(), units: [])
        }
        let store: StateStore
        let summary: StoreSummary
        let records: [UnitRecord]
        do {
            store = try StateStore(path: path)
            summary = try store.summary()
            records = try store.units()
        } catch {
            throw ReconcileError(.store, "cannot read the state store: \(error)")
        }
        let containers = ContainerEngine(runtime: configuration.runtime, logger: logger)
        let units = records.map { record in
            observe(record, systemd: systemd, containers: containers, store: store, configuration: configuration)
        }
        return HostStatus(repository: repository, summary: summary, units: units)
    }

    private static func observe(
        _ record: UnitRecord, systemd: SystemdManager, containers: ContainerEngine, store: StateStore,
        configuration: HostConfiguration
    ) -> OwnedUnitStatus {
        var status = OwnedUnitStatus(name: record.name, commit: record.commit, writtenAt: record.writtenAt)
        let unit: ObservedUnit
        do {
            unit = try systemd.observeUnit(record.name, unitDirectory: configuration.unitDirectory)
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
        named name: String, containers: ContainerEngine, store: StateStore
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
    init(shown url: String, _ tracking: HostConfiguration.Tracking) {
        self.init(url: URLRedaction.shown(url))
        switch tracking {
        case .branch(let name): branch = name
        case .tag(let name): tag = name
        case .commit(let id): commit = id
        }
    }
}
