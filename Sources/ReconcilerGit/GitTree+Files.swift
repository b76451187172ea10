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
            try collect(self, prefix: "", into: &files, operation: operation)
        } else {
            let entry = try lookUp(components)
            try collect(subtree(entry.id, operation: operation), prefix: "", into: &files, operation: operation)
        }
        return files.sorted { $0.path < $1.path }
    }

    private func collect(
        _ tree: GitTree, prefix: String, into files: inout [(path: String, id: String)], operation: String
    ) throws(GitError) {
        for entry in tree.entries() {
            let name = prefix + entry.name
            switch entry.mode {
            case .directory:
                try collect(
                    tree.subtree(entry.id, operation: operation), prefix: name + "/", into: &files, operation: operation
                )
            case .file, .executableFile, .symlink:
                files.append((name, entry.id.hex))
            case .submodule, .unknown:
                continue  // submodules: not part of this repository's content
            }
        }
    }
}
