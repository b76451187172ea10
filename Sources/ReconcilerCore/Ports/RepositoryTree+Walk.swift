extension RepositoryTree {
    /// `files(under:)` for trees that have no content ids of their own (a checkout, an
    /// in-memory tree): walks the directories and hashes every file's bytes, and a symlink's
    /// target text. Paths are relative to `path`, sorted.
    public func walkedFiles(under path: String) throws -> [(path: String, id: String)] {
        var files: [(path: String, id: String)] = []
        try walk(path, prefix: "", into: &files)
        return files.sorted { $0.path < $1.path }
    }

    private func walk(_ directory: String, prefix: String, into files: inout [(path: String, id: String)]) throws {
        for name in try children(of: directory) {
            let path = directory.isEmpty ? name : directory + "/" + name
            switch entry(at: path) {
            case .directory?:
                try walk(path, prefix: prefix + name + "/", into: &files)
            case .file?:
                files.append((prefix + name, ContentHash.hex(bytes: try contents(of: path))))
            case .symlink(let target)?:
                files.append((prefix + name, "link:" + ContentHash.hex(target)))
            case .submodule?, nil:
                continue
            }
        }
    }
}
