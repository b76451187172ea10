/// What the host's service manager says about itself.
public struct SystemdManagerInfo: Sendable, Hashable, Codable {
    /// The `Version` property of org.freedesktop.systemd1.Manager, e.g. "252.38-1~deb12u1".
    public var version: String
    /// The `SystemState` property: "running", "degraded", "starting", ...
    public var systemState: String

    public init(version: String, systemState: String) {
        self.version = version
        self.systemState = systemState
    }

    /// The leading release number, e.g. 252, which is what `systemctl --version` prints first.
    public var majorVersion: Int? {
        Int(version.prefix { $0.isNumber })
    }
}
