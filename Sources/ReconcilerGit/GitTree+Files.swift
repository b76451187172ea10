internal import CGit2

extension GitTree {
    /// Every file (blobs and symlinks) under the directory at `path`, with its blob id, paths
    /// relative to that directory, sorted. Reads tree objects only, no file contents: cheap
    /// enough to fingerprint a build context on every sync.
    public func files(under path: String) throws(GitError) -> [(path: String, id: String)] {
        let operation = "list the files under '\(path)' in commit \(commitID)"
        guard let components = Self.components(path) else {
            throw GitError(operation: operation, code: -1, errorClass: 0, message: "not a path inside the tree")
        }
        var files: [(path: String, id: String)] = []
        if components.isEmpty {
            try collect(handle, prefix: "", into: &files, operation: operation)
        } else {
            let entry = try lookUp(components)
            let subtree = try OwnedTree(id: entry.id, repository: repository, operation: operation)
            try collect(subtree.handle, prefix: "", into: &files, operation: operation)
        }
        return files.sorted { $0.path < $1.path }
    }

    private func collect(
        _ tree: OpaquePointer, prefix: String, into files: inout [(path: String, id: String)], operation: String
    ) throws(GitError) {
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index), let id = git_tree_entry_id(entry) else { continue }
            let name = prefix + String(cString: git_tree_entry_name(entry))
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_TREE:
                let subtree = try OwnedTree(id: id, repository: repository, operation: operation)
                try collect(subtree.handle, prefix: name + "/", into: &files, operation: operation)
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE, GIT_FILEMODE_LINK:
                files.append((name, GitOID.hex(id)))
            default:
                continue  // submodules: not part of this repository's content
            }
        }
    }
}
