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
}
