public import ReconcilerCore

/// What the parent asks the network helper to do. Encoded as JSON on the helper's stdin;
/// it carries file paths, never secrets.
public struct RemoteRequest: Codable, Sendable, Equatable {
    public enum Operation: String, Codable, Sendable {
        /// List the remote's references; downloads no objects.
        case listReferences
        /// Fetch `refspecs` into the bare mirror at `mirrorPath`, creating it when missing.
        case fetch
        /// Create, move or delete `pushes` on the remote, from the bare mirror at `mirrorPath`.
        case push
    }

    public var operation: Operation
    public var url: String
    public var refspecs: [String]
    public var mirrorPath: String?
    public var credentials: GitCredentials
    /// For `push`: the references to set (to commits the mirror has) or delete.
    public var pushes: [FleetRefs.Update]?

    public init(
        operation: Operation, url: String, refspecs: [String] = [], mirrorPath: String? = nil,
        credentials: GitCredentials = GitCredentials()
    ) {
        self.operation = operation
        self.url = url
        self.refspecs = refspecs
        self.mirrorPath = mirrorPath
        self.credentials = credentials
    }
}

/// One reference as the remote advertises it.
public struct RemoteReference: Codable, Sendable, Equatable {
    public var name: String
    public var id: String
    /// For `HEAD`, the branch it points at.
    public var symbolicTarget: String?
}

/// A reference the fetch changed in the mirror. `old` is nil for a new reference.
public struct ReferenceUpdate: Codable, Sendable, Equatable {
    public var name: String
    public var old: String?
    public var new: String?
}

/// A failure reported by the helper, already stripped of secrets.
public struct RemoteFailure: Codable, Sendable, Equatable, Error {
    public enum Kind: String, Codable, Sendable {
        /// The server was not reached: refused connection, DNS, no route, no such local path.
        case unreachable
        /// The server refused our credentials, or we had none to give.
        case authentication
        /// The server's SSH host key or TLS certificate was not trusted.
        case certificate
        /// The server answered but the request failed (missing repository, missing object...).
        case remote
        /// The local mirror could not be opened or written.
        case mirror
        /// The request itself was wrong (bad URL, bad credentials file...).
        case configuration
    }

    public var kind: Kind
    public var message: String
    /// libgit2's code and class, when libgit2 reported the failure.
    public var code: Int32?
    public var errorClass: Int32?
}

/// The helper's answer, as JSON on its stdout.
public struct RemoteResponse: Codable, Sendable, Equatable {
    public var references: [RemoteReference] = []
    public var updates: [ReferenceUpdate] = []
    public var failure: RemoteFailure?
    /// What the helper's housekeeping did after a fetch (mirror compaction), for the log.
    public var maintenance: String?

    public init(references: [RemoteReference] = [], updates: [ReferenceUpdate] = [], failure: RemoteFailure? = nil) {
        self.references = references
        self.updates = updates
        self.failure = failure
    }
}
