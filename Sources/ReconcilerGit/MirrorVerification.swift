internal import CGit2

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
        var tree: OpaquePointer?
        try check("read the tree of commit \(id)") { commit.withUnsafeHandle { git_commit_tree(&tree, $0) } }
        defer { git_tree_free(tree) }
        var walk = Walk(repository: repository)
        walk.summary.trees = 1
        try withUnsafeMutablePointer(to: &walk) { pointer throws(GitError) in
            let code = git_tree_walk(tree, GIT_TREEWALK_PRE, visit, pointer)
            if let failure = pointer.pointee.failure { throw failure }
            if code < 0 { throw GitError.last(code, operation: "walk the tree of commit \(id)") }
        }
        return walk.summary
    }

    fileprivate struct Walk {
        let repository: GitRepository
        var summary = Summary()
        var failure: GitError?
    }
}

private let visit: git_treewalk_cb = { root, entry, payload in
    guard let entry, let payload else { return -1 }
    let walk = payload.assumingMemoryBound(to: MirrorVerification.Walk.self)
    switch git_tree_entry_type(entry) {
    case GIT_OBJECT_TREE:
        walk.pointee.summary.trees += 1
        // Opening the tree object checks it too (the walk itself reads it when descending).
        return 0
    case GIT_OBJECT_BLOB:
        var blob: OpaquePointer?
        let code = git_blob_lookup(&blob, walk.pointee.repository.handle, git_tree_entry_id(entry))
        guard code == 0 else {
            let path = (root.map { String(cString: $0) } ?? "") + String(cString: git_tree_entry_name(entry))
            walk.pointee.failure = GitError.last(code, operation: "read '\(path)'")
            return -1
        }
        walk.pointee.summary.blobs += 1
        walk.pointee.summary.bytes += git_blob_rawsize(blob)
        git_blob_free(blob)
        return 0
    default:
        return 0  // submodule links point outside this repository
    }
}
