/// A plain systemd unit shipped from the repository: `kind: Unit` (timers, mounts, ...).
public struct UnitSpec: Sendable, Equatable {
    /// The full unit name with its type suffix, e.g. `blog-backup.timer`.
    public var name: String
    public var hosts: HostSelector?
    /// The unit file's text as the repository has it, before the ownership marker is added.
    public var contents: String
    /// Where the text came from: the `source:` path, or nil for inline `contents:`.
    public var sourcePath: String?
    /// Whether to enable the unit (its [Install] section) as well as start it.
    public var enable: Bool
    /// Files from git the unit reads, at `ConfigFile.hostPath(owner: ConfigFile.owner(unit: name))`.
    public var files: [ConfigFile] = []
    public var location: SourceLocation

    public init(
        name: String, hosts: HostSelector? = nil, contents: String, sourcePath: String? = nil, enable: Bool = true,
        location: SourceLocation
    ) {
        self.name = name
        self.hosts = hosts
        self.contents = contents
        self.sourcePath = sourcePath
        self.enable = enable
        self.location = location
    }
}
