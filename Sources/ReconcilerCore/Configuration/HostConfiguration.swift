/// The agent's configuration on one host (`/etc/reconciler/config.yaml`), after defaults and
/// command-line overrides. Every field has a default, so an empty file is valid; only the
/// repository URL must come from somewhere.
public struct HostConfiguration: Sendable, Equatable {
    /// Where the desired state comes from and how far to trust it.
    public var repository = RepositoryConfiguration()
    /// This host's name, matched by `hosts.names` in the desired state.
    public var hostName: String
    /// This host's labels, matched by `hosts.labels` in the desired state.
    public var labels: [String: String] = [:]
    /// The container engine rendered units run.
    public var runtime: ContainerRuntime = .podman
    /// The state store, the run lock, the git mirror and build contexts live here.
    public var stateDirectory = "/var/lib/reconciler"
    /// Where unit files are written.
    public var unitDirectory = "/etc/systemd/system"
    /// The age identity (private key) that decrypts secrets from git; mode 0600 or stricter.
    public var ageIdentity = HostConfiguration.defaultAgeIdentity
    /// Seconds between polls of the daemon.
    public var pollInterval: Double = 30
    /// Allow a commit that removes every unit the reconciler owns.
    public var allowEmpty = false
    /// Healthy releases whose images are kept for a rollback, besides the current one.
    public var retainReleases = 3
    /// Runs kept in the history; older ones are deleted after each recorded run.
    public var historyLimit = 1000
    /// Where the Prometheus text file is written after each run, when configured.
    public var metricsTextfile: String?
    /// `metrics.enabled: false` turns off the text file, the default one included.
    public var metricsEnabled = true
    /// Where run events are posted.
    public var webhooks: [WebhookConfiguration] = []
    /// Reporting to the repository and rings (`fleet:`); nil: neither.
    public var fleet: FleetConfiguration?

    public init(hostName: String) {
        self.hostName = hostName
    }

    public var host: HostIdentity { HostIdentity(name: hostName, labels: labels) }

    /// Debian's prometheus-node-exporter reads its textfile collector's files from here.
    public static let nodeExporterTextfileDirectory = "/var/lib/prometheus/node-exporter"

    /// The file metrics are written to: the configured one or, when none is, one in
    /// node_exporter's textfile directory if that exists (node_exporter is installed), so a
    /// host with node_exporter has the metrics without configuring anything; nil when off.
    public func metricsFile(nodeExporterDirectoryExists: Bool) -> String? {
        guard metricsEnabled else { return nil }
        if let metricsTextfile { return metricsTextfile }
        return nodeExporterDirectoryExists ? Self.nodeExporterTextfileDirectory + "/reconciler.prom" : nil
    }

    public static let defaultPath = "/etc/reconciler/config.yaml"
    public static let defaultAgeIdentity = "/etc/reconciler/age-identity.txt"
}

/// The `repository:` section: the git source's own configuration, used as is by the git
/// adapter.
public struct RepositoryConfiguration: Sendable, Equatable {
    /// A path, file://, git://, ssh:// or https:// URL; nil when not configured.
    public var url: String?
    /// The branch, tag or commit the host follows.
    public var reference: TrackedReference = .branch("main")
    /// The desired-state folder inside the repository.
    public var path = "desired-state"
    /// Paths of credential files; never the secrets themselves.
    public var credentials = GitCredentials()
    /// Seconds a git network operation may take.
    public var timeout: Double = 60
    /// Refuse a branch whose new head does not descend from the last applied commit (a
    /// rewritten history, a step back to an older commit). nil: refuse when a signature policy
    /// is set (an old or foreign signed commit must not be replayed), follow otherwise.
    public var requireFastForward: Bool?
    /// When set, only a head commit whose signature verifies under this policy is applied.
    public var signaturePolicy: SignaturePolicy?

    public init(
        url: String? = nil, reference: TrackedReference = .branch("main"), path: String = "desired-state",
        credentials: GitCredentials = GitCredentials(), timeout: Double = 60, requireFastForward: Bool? = nil,
        signaturePolicy: SignaturePolicy? = nil
    ) {
        self.url = url
        self.reference = reference
        self.path = path
        self.credentials = credentials
        self.timeout = timeout
        self.requireFastForward = requireFastForward
        self.signaturePolicy = signaturePolicy
    }
}
