internal import CGit2
public import ReconcilerCore

/// The files of one commit, read straight from the object database: no work tree, no checkout.
///
/// What the desired-state loader validates through this tree is exactly what the commit holds,
/// whatever happens to a checkout on disk. Symlinks are reported, never followed (the core
/// resolves them), and a gitlink (mode 160000) is a `.submodule` without contents, because the
/// submodule's commit is not in this repository.
///
/// Inside the module a `GitTree` also stands for a directory of the commit (see `subtree`);
/// what this module makes public is always a commit's root tree.
///
/// Not `Sendable`: it owns libgit2 objects, which must not be used from two threads at once.
public final class GitTree: RepositoryTree {
    /// The commit whose tree this is (40 hex digits).
    public let commitID: String
    /// The id of the commit's root tree.
    public let treeID: String
    /// The `git_tree*`, freed in deinit; the module borrows it through `withUnsafeHandle`.
    private let handle: OpaquePointer
    // Blob sizes come from object headers, so listing a large build context inflates nothing.
    private let objects: GitRepository.ObjectDatabase
    /// The repository the tree was read from. Every libgit2 object points into its repository:
    /// it must outlive them.
    let repository: GitRepository

    private init(
        owning handle: OpaquePointer, commitID: String, objects: GitRepository.ObjectDatabase,
        repository: GitRepository
    ) {
        self.handle = handle
        self.commitID = commitID
        self.treeID = git_tree_id(handle).map { GitObjectID($0).hex } ?? ""
        self.objects = objects
        self.repository = repository
    }

    deinit {
        git_tree_free(handle)
    }

    /// Lends `body` the raw `git_tree*`, valid only until `body` returns.
    func withUnsafeHandle<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(self) { () throws(E) -> R in try body(handle) }
    }

    /// The root tree of `commit`; `operation` names the step in an error.
    static func root(of commit: GitCommit, operation: String) throws(GitError) -> GitTree {
        let objects = try GitRepository.ObjectDatabase.open(in: commit.repository, operation: operation)
        var tree: OpaquePointer?
        try check(operation) { commit.withUnsafeHandle { git_commit_tree(&tree, $0) } }
        guard let tree else { throw GitError(operation: operation, code: -1, errorClass: 0, message: "no tree") }
        return GitTree(owning: tree, commitID: commit.id, objects: objects, repository: commit.repository)
    }

    /// The tree object `id` (a directory of this tree's commit), as a tree of its own.
    func subtree(_ id: GitObjectID, operation: @autoclosure () -> String) throws(GitError) -> GitTree {
        var oid = id.raw
        var tree: OpaquePointer?
        try check(operation()) { repository.withUnsafeHandle { git_tree_lookup(&tree, $0, &oid) } }
        guard let tree else { throw GitError(operation: operation(), code: -1, errorClass: 0, message: "no tree") }
        return GitTree(owning: tree, commitID: commitID, objects: objects, repository: repository)
    }

    /// One entry of a tree, copied out of libgit2.
    struct Entry {
        var name: String
        var mode: Mode
        /// The object id: a blob, a subtree, or the submodule's commit.
        var id: GitObjectID

        /// Copies the entry `entry` (a `git_tree_entry*`), which stays owned by the caller.
        fileprivate init(copying entry: OpaquePointer) {
            name = String(cString: git_tree_entry_name(entry))
            mode = Mode(git_tree_entry_filemode(entry))
            id = GitObjectID(git_tree_entry_id(entry))
        }
    }

    /// What an entry is, by its mode as libgit2 normalises it (a legacy 100664 reads as 100644).
    enum Mode: Equatable {
        case directory
        case file
        case executableFile
        case symlink
        /// A gitlink: the submodule's commit, which is not in this repository.
        case submodule
        /// A mode git does not write; the number is the raw mode.
        case unknown(Int)

        fileprivate init(_ mode: git_filemode_t) {
            switch mode {
            case GIT_FILEMODE_TREE: self = .directory
            case GIT_FILEMODE_BLOB: self = .file
            case GIT_FILEMODE_BLOB_EXECUTABLE: self = .executableFile
            case GIT_FILEMODE_LINK: self = .symlink
            case GIT_FILEMODE_COMMIT: self = .submodule
            default: self = .unknown(Int(mode.rawValue))
            }
        }
    }

    /// The entries of this tree, in git's order (by name, directories as if named `dir/`).
    func entries() -> [Entry] {
        (0..<git_tree_entrycount(handle)).compactMap { index in
            git_tree_entry_byindex(handle, index).map(Entry.init(copying:))
        }
    }

    /// The entry at a normalised, non-empty path. Throws `GIT_ENOTFOUND` when it is missing.
    func lookUp(_ components: [Substring]) throws(GitError) -> Entry {
        let path = components.joined(separator: "/")
        var entry: OpaquePointer?
        try check("look up '\(path)' in commit \(commitID)") { git_tree_entry_bypath(&entry, handle, path) }
        defer { git_tree_entry_free(entry) }
        guard let entry else {
            throw GitError(operation: "look up '\(path)'", code: -1, errorClass: 0, message: "no entry")
        }
        return Entry(copying: entry)
    }

    /// The size of the blob `id` from its header, without inflating it; nil when unreadable.
    func blobSize(_ id: GitObjectID) -> Int? {
        objects.size(of: id)
    }

    /// The bytes of the blob `id`, found at `path`.
    func blob(_ id: GitObjectID, path: String) throws(GitError) -> [UInt8] {
        try repository.blobContents(id, operation: "read '\(path)' in commit \(commitID)")
    }

    /// The components of a repository-relative path: "" and "." are the root, empty and `.`
    /// components are dropped. nil for an absolute path or one with `..`, which a tree cannot
    /// answer without resolving symlinks (the core's job).
    static func components(_ path: String) -> [Substring]? {
        let components = path.split(separator: "/").filter { $0 != "." }
        guard !path.hasPrefix("/"), !components.contains("..") else { return nil }
        return components
    }

    /// An error for a path the tree cannot answer: absolute, or climbing with `..`.
    func invalidPath(_ path: String, _ operation: String) -> GitError {
        GitError(
            operation: operation, code: GIT_EINVALIDSPEC.rawValue, errorClass: Int32(GIT_ERROR_TREE.rawValue),
            message: "'\(path)' is not a path inside the repository (absolute, or climbs with '..')")
    }

    /// An error for an entry that is not what the caller asked for (`problem` says what it is).
    func wrongKind(_ path: String, _ problem: String, _ operation: String) -> GitError {
        GitError(
            operation: operation, code: GIT_EINVALID.rawValue, errorClass: Int32(GIT_ERROR_TREE.rawValue),
            message: "'\(path)' \(problem)")
    }
}
