/// Where desired states come from: the git adapter's mirror of the tracked repository, or
/// an in-memory repository in the engine's tests.
///
/// The engine reads every commit through this port, and writes files to disk from it only
/// when an image must be built.
public protocol DesiredStateSource {
    /// Checks the remote cheaply, fetches only when the tracked reference moved, and returns
    /// the commit to apply, checked for damage and, with a signature policy, its signature.
    /// - Parameter lastAccepted: the commit the host runs now, to tell a fast-forward from a
    ///   rewritten history.
    /// - Throws: an error that says what failed and what to do; the host stays as it is.
    func update(lastAccepted: String?) throws -> SourceUpdate

    /// A commit the source already has (one `update` returned before), by full id.
    func revision(_ id: String) throws -> Revision

    /// The files of a commit the source already has.
    func tree(at commit: String) throws -> any RepositoryTree

    /// Writes a build context of `commit` to disk, for the container engine to build from.
    /// - Parameters:
    ///   - context: the context directory, relative to the repository root.
    ///   - dockerfile: the Dockerfile, relative to the repository root (inside the context or not).
    ///   - directory: where build contexts are kept.
    /// - Returns: the exported context directory and the Dockerfile's path on disk.
    func exportBuildContext(
        _ context: String, dockerfile: String, at commit: String, into directory: String
    ) throws -> ExportedBuildContext

    /// Deletes every build context exported into `directory`: once an image is built, its
    /// context is only disk space.
    func removeBuildContexts(in directory: String) throws
}

/// A build context on disk.
public struct ExportedBuildContext: Sendable, Equatable {
    /// The context directory.
    public var directory: String
    /// The Dockerfile to build with.
    public var dockerfile: String

    public init(directory: String, dockerfile: String) {
        self.directory = directory
        self.dockerfile = dockerfile
    }
}

/// What `DesiredStateSource.update` found.
public struct SourceUpdate: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        /// Nothing was applied before.
        case first
        /// The same commit as last time.
        case unchanged
        /// A descendant of the last applied commit.
        case fastForward(from: String)
        /// Not a descendant: a force push, a moved tag, or a different pinned commit.
        case rewritten(from: String)
    }

    public var commit: Revision
    public var change: Change
    /// Whether objects were fetched this time (false when the remote had not moved).
    public var fetched: Bool
    /// The verified signature, when a signature policy is set and the commit is new.
    public var signature: VerifiedSignature?

    public init(commit: Revision, change: Change, fetched: Bool, signature: VerifiedSignature? = nil) {
        self.commit = commit
        self.change = change
        self.fetched = fetched
        self.signature = signature
    }
}
