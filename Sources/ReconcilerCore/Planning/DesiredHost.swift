/// The desired state of this host, rendered: everything the planner compares with what runs.
/// Built by the engine from a validated `DesiredState` (host-selected) and the commit.
public struct DesiredHost: Sendable, Equatable {
    public var units: [DesiredUnit]
    public var images: [DesiredImage]
    /// Files from git the host must have under `ConfigFile.hostDirectory`, sorted by path.
    public var files: [DesiredFile] = []
    /// The commit this comes from, for the ownership marker and logs.
    public var commit: String

    public init(units: [DesiredUnit], images: [DesiredImage], files: [DesiredFile] = [], commit: String) {
        self.units = units.sorted { $0.name < $1.name }
        self.images = images.sorted { $0.reference < $1.reference }
        self.files = files.sorted { $0.path < $1.path }
        self.commit = commit
    }
}

/// One unit file the host must have, and what systemd must do with it.
public struct DesiredUnit: Sendable, Equatable, Codable {
    /// The unit name, e.g. `blog.service` or `blog-backup.timer`.
    public var name: String
    /// The full file, ownership marker included.
    public var contents: String
    /// `systemctl enable` it (and start it: an enabled unit should run now, not after a reboot).
    public var enable: Bool
    /// The service this unit runs, for services; nil for plain units.
    public var service: String?
    /// The image the service's container runs, for services.
    public var image: String?
    /// Services (unit names) that must be started before this one.
    public var after: [String]
    /// Host paths of the files this unit reads: a change to one reloads or restarts it.
    public var files: [String] = []
    /// The unit declares how it reloads (ExecReload=): a change to its files alone reloads it.
    public var reloads = false
    /// Which instance of a replicated service this unit runs (`blog-2.service`: 2 of `blog`);
    /// nil for a single service and plain units. `diff blog` selects every instance by it.
    public var instance: ServiceInstance?

    public init(
        name: String, contents: String, enable: Bool, service: String? = nil, image: String? = nil,
        after: [String] = []
    ) {
        self.name = name
        self.contents = contents
        self.enable = enable
        self.service = service
        self.image = image
        self.after = after
    }
}

/// An image a service needs, and how to get it when it is missing.
public struct DesiredImage: Sendable, Equatable, Codable {
    public enum Origin: Sendable, Equatable, Codable {
        /// Built from a directory of the commit; the reference's tag is the directory's tree id,
        /// so an unchanged context has the same reference and is never rebuilt.
        case build(context: String, dockerfile: String, arguments: [String: String])
        /// Pulled from a registry.
        case pull
    }

    public var reference: String
    public var origin: Origin
    /// The service that uses it.
    public var service: String

    public init(reference: String, origin: Origin, service: String) {
        self.reference = reference
        self.origin = origin
        self.service = service
    }
}

/// A file from git the reconciler keeps on the host (`files:` of a Service).
public struct DesiredFile: Sendable, Equatable, Codable {
    /// The absolute path on the host, under `ConfigFile.hostDirectory`.
    public var path: String
    public var contents: [UInt8]
    public var mode: UInt16
    /// The file in the repository, for messages.
    public var source: String
    /// The service that reads it; nil for a plain unit's file.
    public var service: String?

    public init(path: String, contents: [UInt8], mode: UInt16, source: String, service: String?) {
        self.path = path
        self.contents = contents
        self.mode = mode
        self.source = source
        self.service = service
    }
}
