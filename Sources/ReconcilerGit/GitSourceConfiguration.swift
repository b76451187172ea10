import ReconcilerCore

/// Where the desired state comes from and how far to trust it.
public struct GitSourceConfiguration: Sendable, Equatable {
    /// A path, `file://`, `git://`, `ssh://`, scp-like `user@host:path`, `http://` or `https://` URL.
    public var url: String
    public var reference: TrackedReference
    public var credentials: GitCredentials
    /// The agent's state directory; the mirror lives in `git/` below it.
    public var stateDirectory: String
    /// Seconds any one network operation may take before it is abandoned.
    public var timeout: Double
    /// Refuse a branch whose new head does not descend from the last applied commit.
    public var requireFastForward: Bool
    /// When set, only a head commit whose signature verifies under this policy is used.
    public var signaturePolicy: SignaturePolicy?

    public init(
        url: String, reference: TrackedReference = .branch("main"), credentials: GitCredentials = GitCredentials(),
        stateDirectory: String = "/var/lib/reconciler", timeout: Double = 60, requireFastForward: Bool = false,
        signaturePolicy: SignaturePolicy? = nil
    ) {
        self.url = url
        self.reference = reference
        self.credentials = credentials
        self.stateDirectory = stateDirectory
        self.timeout = timeout
        self.requireFastForward = requireFastForward
        self.signaturePolicy = signaturePolicy
    }

    var gitDirectory: String { stateDirectory + "/git" }
    /// The bare mirror: a plain clone of what is tracked, never a working tree. Named after
    /// the URL, so pointing the host at another repository never mixes the two.
    var mirrorPath: String { gitDirectory + "/mirror-\(ContentHash.hex(GitURL(url)?.withoutPassword ?? url)).git" }
    var helperHome: String { gitDirectory + "/home" }
    /// The last commit whose every object was read back successfully.
    var verifiedMarkerPath: String { gitDirectory + "/verified-commit" }

}
