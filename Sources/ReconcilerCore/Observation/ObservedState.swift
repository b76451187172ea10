/// What really runs on the host, as the adapters read it: systemd over D-Bus, unit files
/// on disk, the container runtime's JSON. Values only; the planner compares them with the
/// desired state.
public struct ObservedState: Sendable, Equatable, Codable {
    /// Every unit the reconciler owns or the desired state names, by unit name. A name absent
    /// here means systemd does not know the unit and no file exists for it.
    public var units: [String: ObservedUnit]
    /// The container each service runs now, by service name.
    public var containers: [String: ObservedContainer]
    /// Image ids of the images present locally, by reference (only references asked about).
    public var images: [String: String]
    /// Every file under `ConfigFile.hostDirectory`, by path: the reconciler owns that tree.
    public var files: [String: ObservedFile] = [:]

    public init(
        units: [String: ObservedUnit] = [:], containers: [String: ObservedContainer] = [:],
        images: [String: String] = [:], files: [String: ObservedFile] = [:]
    ) {
        self.units = units
        self.containers = containers
        self.images = images
        self.files = files
    }
}

/// One systemd unit as systemd and the file system see it.
public struct ObservedUnit: Sendable, Equatable, Codable {
    public var name: String
    /// `loaded`, `not-found`, `masked`, `error`, ...
    public var loadState: String
    /// `active`, `inactive`, `failed`, `activating`, `deactivating`, `reloading`.
    public var activeState: String
    public var subState: String
    /// `enabled`, `disabled`, `static`, `masked`, `linked`, ... or empty when there is no file.
    public var unitFileState: String
    /// Where systemd loaded the unit from, empty when it is not loaded from a file.
    public var fragmentPath: String
    /// Where the reconciler's file for this unit is: `<unitDirectory>/<name>`.
    public var filePath: String
    /// The unit file the reconciler manages (at `filePath`), nil when absent.
    public var fileContents: String?
    /// When the unit last entered the active state (microseconds since the epoch), 0 if never.
    public var activeEnterTimestamp: UInt64
    /// systemd has a newer file on disk than it loaded (`NeedDaemonReload`).
    public var needsDaemonReload: Bool

    public init(
        name: String, loadState: String = "not-found", activeState: String = "inactive", subState: String = "dead",
        unitFileState: String = "", fragmentPath: String = "", filePath: String? = nil, fileContents: String? = nil,
        activeEnterTimestamp: UInt64 = 0, needsDaemonReload: Bool = false
    ) {
        self.filePath = filePath ?? "/etc/systemd/system/\(name)"
        self.name = name
        self.loadState = loadState
        self.activeState = activeState
        self.subState = subState
        self.unitFileState = unitFileState
        self.fragmentPath = fragmentPath
        self.fileContents = fileContents
        self.activeEnterTimestamp = activeEnterTimestamp
        self.needsDaemonReload = needsDaemonReload
    }

    /// The ownership marker in the file, nil for a foreign unit (or no file).
    public var ownerSource: String? { fileContents.flatMap(OwnershipMarker.source(in:)) }

    /// systemd has the unit loaded from somewhere (a file of ours, a package's, a generator's).
    public var isKnownToSystemd: Bool { loadState != "not-found" || !fragmentPath.isEmpty }

    public var isActive: Bool { activeState == "active" || activeState == "reloading" || activeState == "activating" }
    public var isEnabled: Bool { unitFileState == "enabled" || unitFileState == "enabled-runtime" }
}

/// The container named after a service: the one its unit runs, or one someone else made.
public struct ObservedContainer: Sendable, Equatable, Codable {
    public var name: String
    /// The id of the image the container was created from.
    public var imageID: String
    public var running: Bool
    /// It carries the label a rendered unit gives its container (`ServiceRenderer.ownerLabel`).
    /// A container without it was made by someone else and must never be removed or replaced.
    public var owned: Bool

    public init(name: String, imageID: String, running: Bool, owned: Bool = true) {
        self.name = name
        self.imageID = imageID
        self.running = running
        self.owned = owned
    }
}

/// A file in the reconciler's file tree as it is on disk.
public struct ObservedFile: Sendable, Equatable, Codable {
    public var contents: [UInt8]
    public var mode: UInt16

    public init(contents: [UInt8], mode: UInt16) {
        self.contents = contents
        self.mode = mode
    }
}
