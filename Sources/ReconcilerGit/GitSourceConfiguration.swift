public import ReconcilerCore

/// The git source's settings: the host's `repository:` configuration as is, the URL it must
/// have, and where the mirror lives.
public struct GitSourceConfiguration: Sendable, Equatable {
    /// The host's repository settings: reference, credentials, timeout, signature policy.
    public var repository: RepositoryConfiguration
    /// A path, `file://`, `git://`, `ssh://`, scp-like `user@host:path`, `http://` or `https://` URL.
    public var url: String
    /// The agent's state directory; the mirror lives in `git/` below it.
    public var stateDirectory: String
    /// How large a commit's tree may be; not in the host configuration, tests set smaller ones.
    public var treeLimits = TreeLimits()
    /// Seconds to wait for the mirror while another process (the agent, a diff) uses it:
    /// longer than one helper run may take.
    public var mirrorLockTimeout: Double = 1860

    /// The source for a host's configuration; nil when it names no repository URL.
    public init?(repository: RepositoryConfiguration, stateDirectory: String) {
        guard let url = repository.url else { return nil }
        self.repository = repository
        self.url = url
        self.stateDirectory = stateDirectory
    }

    public init(
        url: String, reference: TrackedReference = .branch("main"), credentials: GitCredentials = GitCredentials(),
        stateDirectory: String = "/var/lib/reconciler", timeout: Double = 60, requireFastForward: Bool? = nil,
        signaturePolicy: SignaturePolicy? = nil
    ) {
        repository = RepositoryConfiguration(
            url: url, reference: reference, credentials: credentials, timeout: timeout,
            requireFastForward: requireFastForward, signaturePolicy: signaturePolicy)
        self.url = url
        self.stateDirectory = stateDirectory
    }

    public var reference: TrackedReference { repository.reference }
    public var credentials: GitCredentials { repository.credentials }
    /// Seconds any one network operation may take before it is abandoned.
    public var timeout: Double { repository.timeout }
    /// Refuse a head that does not descend from the last applied commit: as configured, and
    /// by default when signatures are required (a replayed older or foreign signed commit),
    /// except for a pinned commit, which the host's own configuration chose.
    public var requireFastForward: Bool {
        if let explicit = repository.requireFastForward { return explicit }
        if case .commit = reference { return false }
        return signaturePolicy != nil
    }
    /// When set, only a head commit whose signature verifies under this policy is used.
    public var signaturePolicy: SignaturePolicy? { repository.signaturePolicy }

    var gitDirectory: String { stateDirectory + "/git" }
    /// The bare mirror: a plain clone of what is tracked, never a working tree. Named after
    /// the URL, so pointing the host at another repository never mixes the two.
    var mirrorPath: String { gitDirectory + "/mirror-\(ContentHash.hex(GitURL(url)?.withoutPassword ?? url)).git" }
    var helperHome: String { gitDirectory + "/home" }
    /// The last commit whose every object was read back successfully.
    var verifiedMarkerPath: String { gitDirectory + "/verified-commit" }
}
