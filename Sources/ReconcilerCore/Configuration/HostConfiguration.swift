/// The agent's configuration on one host (`/etc/reconciler/config.yaml`), after defaults and
/// command-line overrides. Every field has a default, so an empty file is valid; only the
/// repository URL must come from somewhere.
public struct HostConfiguration: Sendable, Equatable {
    public enum Tracking: Sendable, Equatable {
        case branch(String)
        case tag(String)
        case commit(String)
    }

    public enum SignerPolicy: Sendable, Equatable {
        case sshAllowedSigners(String)
        case openPGPKeyring(String)
    }

    /// Paths of credential files; never the secrets themselves.
    public struct Credentials: Sendable, Equatable {
        public var username: String?
        public var passwordFile: String?
        public var sshKeyFile: String?
        public var sshKeyPassphraseFile: String?
        public var knownHostsFile: String?
        public var caFile: String?

        public init() {}
    }

    /// A path, file://, git://, ssh:// or https:// URL; nil when not configured.
    public var repositoryURL: String?
    public var tracking: Tracking = .branch("main")
    /// The desired-state folder inside the repository.
    public var path: String = "desired-state"
    public var credentials = Credentials()
    /// Seconds a git network operation may take.
    public var gitTimeout: Double = 60
    public var requireFastForward = false
    public var signers: SignerPolicy?
    public var hostName: String
    public var labels: [String: String] = [:]
    public var runtime: ContainerRuntime = .podman
    public var stateDirectory = "/var/lib/reconciler"
    /// Where unit files are written.
    public var unitDirectory = "/etc/systemd/system"
    /// Seconds between polls of the daemon.
    public var pollInterval: Double = 30
    /// Allow a commit that removes every unit the reconciler owns.
    public var allowEmpty = false

    public init(hostName: String) {
        self.hostName = hostName
    }

    public var host: HostIdentity { HostIdentity(name: hostName, labels: labels) }

    public static let defaultPath = "/etc/reconciler/config.yaml"
}
