/// libgit2 has no fsck. Before a fetched commit is used, read it, its tree and every blob
/// under it: inflating an object checks its hash, so a damaged pack or a missing object
/// shows up here rather than halfway through writing units.
///
/// The walk also holds the tree to `TreeLimits`, each blob's size read from its header
/// before it is inflated, so a hostile commit is refused before it can exhaust memory.
enum MirrorVerification {
    struct Summary: Equatable {
        var trees = 0
        var blobs = 0
        var bytes: UInt64 = 0
    }

    /// - Throws: `TreeLimitExceeded` when the tree passes a limit; `GitError` when an object
    ///   cannot be read (a damaged mirror).
    static func verify(commit id: String, in repository: GitRepository, limits: TreeLimits) throws -> Summary {
        let commit = try repository.commit(at: id)
        let tree = try GitTree.root(of: commit, operation: "read the tree of commit \(id)")
        let objects = try GitRepository.ObjectDatabase.open(
            in: repository, operation: "open the object database of \(repository.path)")
        var summary = Summary(trees: 1)
        var entries = 0
        // The walk's visitor can only throw GitError: a limit is recorded here and stops the walk.
        var exceeded: TreeLimitExceeded?
        func refuse(_ problem: String) -> GitError {
            exceeded = TreeLimitExceeded(
                description:
                    "commit \(id) is refused: \(problem); a desired-state repository should not need that, so the commit is likely broken or hostile"
            )
            return GitError(operation: "walk the tree of commit \(id)", code: -1, errorClass: 0, message: problem)
        }
        do {
            try tree.walk(operation: "walk the tree of commit \(id)") { entry throws(GitError) in
                entries += 1
                if entries > limits.maximumEntries {
                    throw refuse("its tree has more than \(limits.maximumEntries) entries (the limit)")
                }
                switch entry.type {
                case .tree:
                    // Checked before the walk descends (pre-order), so libgit2 never recurses deeper.
                    let depth = entry.path.split(separator: "/").count
                    if depth > limits.maximumDepth {
                        throw refuse(
                            "'\(entry.path.prefix(200))…' is nested more than \(limits.maximumDepth) directories deep (the limit)"
                        )
                    }
                    summary.trees += 1
                case .blob:
                    if let size = objects.size(of: entry.id), UInt64(size) > limits.maximumBlobSize {
                        throw refuse(
                            "'\(entry.path)' is \(size) bytes, over the limit of \(byteCount(limits.maximumBlobSize)) for one file"
                        )
                    }
                    summary.bytes += try repository.blobSize(entry.id, operation: "read '\(entry.path)'")
                    summary.blobs += 1
                case .other:
                    break  // submodule links point outside this repository
                }
            }
        } catch {
            if let exceeded { throw exceeded }
            throw error
        }
        return summary
    }
}
