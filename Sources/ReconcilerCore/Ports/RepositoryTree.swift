/// Read access to the files of one repository revision: a checkout on disk, a git tree, or
/// an in-memory tree in tests.
///
/// Paths are relative to the repository root and use `/`. Implementations must not follow
/// symlinks themselves: the core resolves them, so it can refuse paths that leave the tree.
public protocol RepositoryTree {
    /// What is at `path`, or nil when nothing is.
    func entry(at path: String) -> RepositoryEntry?
    /// The names (not paths) directly inside the directory at `path`, sorted.
    func children(of path: String) throws -> [String]
    /// The bytes of the regular file at `path`.
    func contents(of path: String) throws -> [UInt8]
    /// Every file below `path` (the whole tree for ""), with a content id that changes
    /// whenever the file's bytes or mode do (git's blob id), sorted by path.
    func files(under path: String) throws -> [(path: String, id: String)]
}

/// One entry of a repository tree, without following symlinks.
public enum RepositoryEntry: Sendable, Equatable {
    case file(size: Int)
    case directory
    /// A symbolic link and its target text as stored.
    case symlink(target: String)
    /// A git submodule (mode 160000), which has no contents in this tree.
    case submodule
}
