public import ReconcilerCore

// What the desired-state loader reads: entries, listings and contents by path.
extension GitTree {
    public func entry(at path: String) -> RepositoryEntry? {
        guard let components = Self.components(path) else { return nil }
        if components.isEmpty { return .directory }
        guard let entry = try? lookUp(components) else { return nil }
        switch entry.mode {
        case .directory:
            return .directory
        case .file, .executableFile:
            return blobSize(entry.id).map { .file(size: $0) }
        case .symlink:
            // A symlink is a blob whose content is the target text.
            return (try? blob(entry.id, path: path)).map { .symlink(target: String(decoding: $0, as: UTF8.self)) }
        case .submodule:
            return .submodule
        case .unknown:
            return nil
        }
    }

    public func children(of path: String) throws(GitError) -> [String] {
        let operation = "list '\(path)' in commit \(commitID)"
        guard let components = Self.components(path) else { throw invalidPath(path, operation) }
        if components.isEmpty { return entries().map(\.name).sorted() }
        let entry = try lookUp(components)
        guard entry.mode == .directory else { throw wrongKind(path, "is not a directory", operation) }
        // Sorted as strings: git orders directories as if named `dir/`.
        return try subtree(entry.id, operation: operation).entries().map(\.name).sorted()
    }

    public func contents(of path: String) throws(GitError) -> [UInt8] {
        let operation = "read '\(path)' in commit \(commitID)"
        guard let components = Self.components(path) else { throw invalidPath(path, operation) }
        guard !components.isEmpty else { throw wrongKind(path, "is the root directory", operation) }
        let entry = try lookUp(components)
        guard entry.mode == .file || entry.mode == .executableFile else {
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
        let entry: Entry
        do throws(GitError) {
            entry = try lookUp(components)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
        return entry.mode == .directory ? entry.id.hex : nil
    }
}
