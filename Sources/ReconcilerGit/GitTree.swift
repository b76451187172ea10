internal import CGit2
public import ReconcilerCore

/// The files of one commit, read straight from the object database: no work tree, no checkout.
///
/// What the desired-state loader validates through this tree is exactly what the commit holds,
/// whatever happens to a checkout on disk. Symlinks are reported, never followed (the core
/// resolves them), and a gitlink (mode 160000) is a `.submodule` without contents, because the
/// submodule's commit is not in this repository.
///
/// Not `Sendable`: it owns libgit2 objects, which must not be used from two threads at once.
public final class GitTree: RepositoryTree {
    /// The commit whose tree this is (40 hex digits).
    public let commitID: String
    /// The id of the commit's root tree.
    public let treeID: String
    /// The root `git_tree*`, owned.
    let handle: OpaquePointer
    // Blob sizes come from object headers, so listing a large build context inflates nothing.
    private let odb: OpaquePointer
    // Every libgit2 object points into its repository: it must outlive them.
    let repository: GitRepository

    init(owning handle: OpaquePointer, odb: OpaquePointer, commitID: String, repository: GitRepository) {
        self.handle = handle
        self.odb = odb
        self.commitID = commitID
        self.treeID = git_tree_id(handle).map(GitOID.hex) ?? ""
        self.repository = repository
    }

    deinit {
        git_tree_free(handle)
        git_odb_free(odb)
    }

    public func entry(at path: String) -> RepositoryEntry? {
        guard let components = Self.components(path) else { return nil }
        if components.isEmpty { return .directory }
        guard let entry = try? lookUp(components) else { return nil }
        switch entry.mode {
        case GIT_FILEMODE_TREE:
            return .directory
        case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
            var size = 0
            var type = GIT_OBJECT_INVALID
            guard git_odb_read_header(&size, &type, odb, entry.id) == 0 else { return nil }
            return .file(size: size)
        case GIT_FILEMODE_LINK:
            // A symlink is a blob whose content is the target text.
            return (try? blob(entry.id, path: path)).map { .symlink(target: String(decoding: $0, as: UTF8.self)) }
        case GIT_FILEMODE_COMMIT:
            return .submodule
        default:
            return nil
        }
    }

    public func children(of path: String) throws(GitError) -> [String] {
        let operation = "list '\(path)' in commit \(commitID)"
        guard let components = Self.components(path) else { throw invalidPath(path, operation) }
        if components.isEmpty { return Self.names(in: handle) }
        let entry = try lookUp(components)
        guard entry.mode == GIT_FILEMODE_TREE else { throw wrongKind(path, "is not a directory", operation) }
        let subtree = try OwnedTree(id: entry.id, repository: repository, operation: operation)
        return Self.names(in: subtree.handle)
    }

    public func contents(of path: String) throws(GitError) -> [UInt8] {
        let operation = "read '\(path)' in commit \(commitID)"
        guard let components = Self.components(path) else { throw invalidPath(path, operation) }
        guard !components.isEmpty else { throw wrongKind(path, "is the root directory", operation) }
        let entry = try lookUp(components)
        guard entry.mode == GIT_FILEMODE_BLOB || entry.mode == GIT_FILEMODE_BLOB_EXECUTABLE else {
            throw wrongKind(path, "is not a regular file", operation)
        }
        return try blob(entry.id, path: path)
    }

    /// The git tree id of the directory at `path`: a content hash of everything below it, so an
    /// unchanged id means an unchanged directory (e.g. a build context that needs no rebuild).
    /// - Returns: nil when nothing is at `path`, it is not a directory, or the path climbs with `..`.
    /// - Throws: `GitError` when the repository cannot be read.
    public func treeID(of path: String) throws(GitError) -> String? {
        guard let components = Self.components(path) else { return nil }
        if components.isEmpty { return treeID }
        let entry: TreeEntry
        do throws(GitError) {
            entry = try lookUp(components)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
        return entry.mode == GIT_FILEMODE_TREE ? GitOID.hex(entry.id) : nil
    }

    /// The entry at a normalised, non-empty path. Throws `GIT_ENOTFOUND` when it is missing.
    func lookUp(_ components: [Substring]) throws(GitError) -> TreeEntry {
        let path = components.joined(separator: "/")
        var entry: OpaquePointer?
        try check("look up '\(path)' in commit \(commitID)") { git_tree_entry_bypath(&entry, handle, path) }
        guard let entry else {
            throw GitError(operation: "look up '\(path)'", code: -1, errorClass: 0, message: "no entry")
        }
        return TreeEntry(owning: entry)
    }

    /// The bytes of the blob `id`, found at `path`.
    func blob(_ id: UnsafePointer<git_oid>, path: String) throws(GitError) -> [UInt8] {
        var blob: OpaquePointer?
        try check("read '\(path)' in commit \(commitID)") { git_blob_lookup(&blob, repository.handle, id) }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: size))
    }

    /// The components of a repository-relative path: "" and "." are the root, empty and `.`
    /// components are dropped. nil for an absolute path or one with `..`, which a tree cannot
    /// answer without resolving symlinks (the core's job).
    static func components(_ path: String) -> [Substring]? {
        let components = path.split(separator: "/").filter { $0 != "." }
        guard !path.hasPrefix("/"), !components.contains("..") else { return nil }
        return components
    }

    /// The entry names of a tree, sorted as strings (git orders directories as if named `dir/`).
    private static func names(in tree: OpaquePointer) -> [String] {
        (0..<git_tree_entrycount(tree)).compactMap { index in
            git_tree_entry_byindex(tree, index).flatMap { git_tree_entry_name($0) }.map { String(cString: $0) }
        }.sorted()
    }

    private func invalidPath(_ path: String, _ operation: String) -> GitError {
        GitError(
            operation: operation, code: GIT_EINVALIDSPEC.rawValue, errorClass: Int32(GIT_ERROR_TREE.rawValue),
            message: "'\(path)' is not a path inside the repository (absolute, or climbs with '..')")
    }

    private func wrongKind(_ path: String, _ problem: String, _ operation: String) -> GitError {
        GitError(
            operation: operation, code: GIT_EINVALID.rawValue, errorClass: Int32(GIT_ERROR_TREE.rawValue),
            message: "'\(path)' \(problem)")
    }
}

/// A `git_tree_entry*` this module owns (from `git_tree_entry_bypath`), freed with it.
final class TreeEntry {
    let handle: OpaquePointer

    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        git_tree_entry_free(handle)
    }

    /// The mode, normalised by libgit2 (a legacy 100664 reads as 100644).
    var mode: git_filemode_t { git_tree_entry_filemode(handle) }
    /// The object id: a blob, a subtree, or the submodule's commit. Valid while `self` lives.
    var id: UnsafePointer<git_oid> { git_tree_entry_id(handle) }
}

/// A `git_tree*` for a subtree, owned and freed with it.
final class OwnedTree {
    let handle: OpaquePointer
    private let repository: GitRepository

    init(id: UnsafePointer<git_oid>, repository: GitRepository, operation: @autoclosure () -> String) throws(GitError) {
        var tree: OpaquePointer?
        try check(operation()) { git_tree_lookup(&tree, repository.handle, id) }
        guard let tree else { throw GitError(operation: operation(), code: -1, errorClass: 0, message: "no tree") }
        self.handle = tree
        self.repository = repository
    }

    deinit {
        git_tree_free(handle)
    }
}

extension GitRepository {
    /// The tree of the commit `revision` names (a branch, tag, commit id or revision expression).
    /// - Throws: `GitError` when the revision does not name a commit or its tree cannot be read.
    public func tree(at revision: String) throws(GitError) -> GitTree {
        try withCommit(at: revision) { (commit, commitID) throws(GitError) -> GitTree in
            let operation = "read the tree of commit \(commitID) in \(path)"
            var odb: OpaquePointer?
            try check(operation) { git_repository_odb(&odb, handle) }
            var tree: OpaquePointer?
            let code = git_commit_tree(&tree, commit)
            guard code >= 0 else {
                git_odb_free(odb)
                throw GitError.last(code, operation: operation)
            }
            guard let tree, let odb else {
                throw GitError(operation: operation, code: -1, errorClass: 0, message: "no tree")
            }
            return GitTree(owning: tree, odb: odb, commitID: commitID, repository: self)
        }
    }

    /// Resolves `revision` to a commit (peeling annotated tags) and lends `body` its
    /// `git_commit*` and full id; the commit is freed when `body` returns.
    func withCommit<Result>(
        at revision: String, _ body: (OpaquePointer, String) throws(GitError) -> Result
    ) throws(GitError) -> Result {
        let operation = "resolve '\(revision)' in \(path)"
        var object: OpaquePointer?
        try check(operation) { git_revparse_single(&object, handle, revision) }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try check(operation) { git_object_peel(&commit, object, GIT_OBJECT_COMMIT) }
        defer { git_object_free(commit) }
        guard let commit, let id = git_commit_id(commit) else {
            throw GitError(operation: operation, code: -1, errorClass: 0, message: "no commit")
        }
        return try body(commit, GitOID.hex(id))
    }
}
