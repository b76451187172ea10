internal import CGit2
public import ReconcilerCore

/// An open git repository (bare or with a work tree), owning its `git_repository*`.
///
/// Not `Sendable`: libgit2 objects must not be used from two threads at once. Confine an
/// instance to one task or actor.
public final class GitRepository {
    /// The `git_repository*`, freed in deinit; the module borrows it through `withUnsafeHandle`.
    private let handle: OpaquePointer
    /// The path the repository was opened from.
    public let path: String

    private init(owning handle: OpaquePointer, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit {
        git_repository_free(handle)
    }

    /// Lends `body` the raw `git_repository*`, valid only until `body` returns.
    func withUnsafeHandle<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(self) { () throws(E) -> R in try body(handle) }
    }

    /// Opens the repository at `path` (its work tree, its `.git` folder or a bare repository).
    /// - Throws: `GitError` when `path` is not a git repository or cannot be read.
    public static func open(at path: String) throws(GitError) -> GitRepository {
        try adopt(path: path, operation: "open repository at \(path)") { git_repository_open(&$0, path) }
    }

    /// Opens a bare repository at exactly `path`, without searching parent folders and
    /// without libgit2's owner check (the agent's own mirror, created by the agent).
    static func openBare(at path: String) throws(GitError) -> GitRepository {
        try adopt(path: path, operation: "open the mirror at \(path)") { git_repository_open_bare(&$0, path) }
    }

    /// Creates an empty bare repository at `path` (the agent's mirror) and opens it.
    static func createBare(at path: String) throws(GitError) -> GitRepository {
        try adopt(path: path, operation: "create the mirror at \(path)") { git_repository_init(&$0, path, 1) }
    }

    /// Runs a libgit2 call that opens a repository and takes ownership of the handle it returns.
    private static func adopt(
        path: String, operation: String, _ open: (inout OpaquePointer?) -> Int32
    ) throws(GitError) -> GitRepository {
        GitLibrary.ensureInitialized()
        var repository: OpaquePointer?
        try check(operation) { open(&repository) }
        guard let repository else {
            throw GitError(operation: operation, code: -1, errorClass: 0, message: "no handle")
        }
        return GitRepository(owning: repository, path: path)
    }

    /// Resolves `ref` (a branch, tag, full ref name, commit id or any git revision
    /// expression) to the commit it names and returns that commit's metadata.
    /// - Throws: `GitError` when the revision does not exist or is not a commit.
    public func revision(at ref: String) throws(GitError) -> Revision {
        let commit = try commit(at: ref)
        return commit.revision
    }

    /// The commit `ref` names, annotated tags peeled.
    /// - Throws: `GitError` when the revision does not exist or is not a commit.
    func commit(at ref: String) throws(GitError) -> GitCommit {
        try GitCommit.resolve(ref, in: self)
    }

    /// The tree of the commit `revision` names (a branch, tag, commit id or revision expression).
    /// - Throws: `GitError` when the revision does not name a commit or its tree cannot be read.
    public func tree(at revision: String) throws(GitError) -> GitTree {
        let commit = try commit(at: revision)
        return try GitTree.root(of: commit, operation: "read the tree of commit \(commit.id) in \(path)")
    }
}
