internal import CGit2

extension GitRepository {
    /// The object id `name` points at (not peeled), or nil when there is no such reference
    /// or it cannot be read.
    func referenceID(_ name: String) -> String? {
        var oid = git_oid()
        guard withUnsafeHandle({ git_reference_name_to_id(&oid, $0, name) }) == 0 else { return nil }
        return GitObjectID(oid).hex
    }

    /// Whether `descendant` has `ancestor` in its history (a fast-forward from `ancestor`);
    /// nil when the history cannot be read (a damaged object on the way).
    func isCommit(_ descendant: String, descendantOf ancestor: String) -> Bool? {
        guard let child = GitObjectID(hex: descendant), let parent = GitObjectID(hex: ancestor) else { return false }
        if !containsObject(ancestor) { return false }
        var childID = child.raw
        var parentID = parent.raw
        let result = withUnsafeHandle { git_graph_descendant_of($0, &childID, &parentID) }
        return result < 0 ? nil : result == 1
    }

    /// Points `name` at `id`, creating or moving it.
    func setReference(_ name: String, to id: String) throws(GitError) {
        guard let object = GitObjectID(hex: id) else {
            throw GitError(operation: "set \(name)", code: -1, errorClass: 0, message: "'\(id)' is not an object id")
        }
        var raw = object.raw
        var reference: OpaquePointer?
        try check("set \(name) to \(id)") {
            withUnsafeHandle { git_reference_create(&reference, $0, name, &raw, 1, "reconciler: fleet report") }
        }
        git_reference_free(reference)
    }

    /// Deletes `name`, if it exists.
    func deleteReference(_ name: String) {
        _ = withUnsafeHandle { git_reference_remove($0, name) }
    }

    /// How many commits `commit` lacks of `head` (both in this repository); nil when either is missing.
    func commitsBehind(_ commit: String, head: String) -> Int? {
        guard let local = GitObjectID(hex: commit), let upstream = GitObjectID(hex: head),
            containsObject(commit), containsObject(head)
        else { return nil }
        var localID = local.raw
        var upstreamID = upstream.raw
        var ahead = 0
        var behind = 0
        let result = withUnsafeHandle { git_graph_ahead_behind(&ahead, &behind, $0, &localID, &upstreamID) }
        return result == 0 ? behind : nil
    }
}
