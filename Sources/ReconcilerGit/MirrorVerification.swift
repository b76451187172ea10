/// libgit2 has no fsck. Before a fetched commit is used, read it, its tree and every blob
/// under it: inflating an object checks its hash, so a damaged pack or a missing object
/// shows up here rather than halfway through writing units.
enum MirrorVerification {
    struct Summary: Equatable {
        var trees = 0
        var blobs = 0
        var bytes: UInt64 = 0
    }

    static func verify(commit id: String, in repository: GitRepository) throws(GitError) -> Summary {
        let commit = try repository.commit(at: id)
        let tree = try GitTree.root(of: commit, operation: "read the tree of commit \(id)")
        var summary = Summary(trees: 1)
        try tree.walk(operation: "walk the tree of commit \(id)") { entry throws(GitError) in
            switch entry.type {
            case .tree:
                // The walk reads the tree object itself when it descends, which checks it too.
                summary.trees += 1
            case .blob:
                summary.bytes += try repository.blobSize(entry.id, operation: "read '\(entry.path)'")
                summary.blobs += 1
            case .other:
                break  // submodule links point outside this repository
            }
        }
        return summary
    }
}
