internal import CGit2

extension GitTree {
    /// An entry met on a walk, valid after the walk too.
    struct WalkEntry {
        /// The path from the walked tree, e.g. "app/main.swift".
        var path: String
        var type: ObjectType
        var id: GitObjectID
    }

    /// The type of object an entry names, as libgit2 derives it from the mode.
    enum ObjectType {
        case tree
        case blob
        /// A gitlink's commit, outside this repository.
        case other
    }

    /// Visits every entry below this tree, each directory before what is in it (libgit2's
    /// pre-order `git_tree_walk`, which reads every subtree object as it descends).
    /// - Parameter operation: Names the walk in libgit2's own error.
    /// - Throws: The first error `visit` throws, which stops the walk, or libgit2's.
    func walk(operation: @autoclosure () -> String, _ visit: (WalkEntry) throws(GitError) -> Void) throws(GitError) {
        // The callback cannot capture: the closure and its failure travel in `payload`.
        try withoutActuallyEscaping(visit) { (visit) throws(GitError) in
            var walker = Walker(visit: visit)
            try withUnsafeMutablePointer(to: &walker) { (pointer) throws(GitError) in
                let code = withUnsafeHandle { git_tree_walk($0, GIT_TREEWALK_PRE, visitEntry, pointer) }
                if let failure = pointer.pointee.failure { throw failure }
                if code < 0 { throw GitError.last(code, operation: operation()) }
            }
        }
    }
}

/// What a walk's C callback reaches through `payload`.
private struct Walker {
    let visit: (GitTree.WalkEntry) throws(GitError) -> Void
    var failure: GitError?
}

private let visitEntry: git_treewalk_cb = { root, entry, payload in
    guard let entry, let payload else { return -1 }
    let walker = payload.assumingMemoryBound(to: Walker.self)
    let type: GitTree.ObjectType =
        switch git_tree_entry_type(entry) {
        case GIT_OBJECT_TREE: .tree
        case GIT_OBJECT_BLOB: .blob
        default: .other
        }
    let path = (root.map { String(cString: $0) } ?? "") + String(cString: git_tree_entry_name(entry))
    do throws(GitError) {
        try walker.pointee.visit(GitTree.WalkEntry(path: path, type: type, id: GitObjectID(git_tree_entry_id(entry))))
        return 0
    } catch {
        walker.pointee.failure = error
        return -1
    }
}
