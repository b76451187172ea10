internal import CGit2

extension GitRepository {
    /// The object id `name` points at (not peeled), or nil when there is no such reference
    /// or it cannot be read.
    func referenceID(_ name: String) -> String? {
        var oid = git_oid()
        guard git_reference_name_to_id(&oid, handle, name) == 0 else { return nil }
        return GitOID.hex(&oid)
    }

    /// Whether the object database has `id` (without reading or checking it).
    func containsObject(_ id: String) -> Bool {
        var oid = git_oid()
        guard git_oid_fromstr(&oid, id) == 0 else { return false }
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0 else { return false }
        defer { git_odb_free(odb) }
        return git_odb_exists(odb, &oid) == 1
    }

    /// Whether `descendant` has `ancestor` in its history (a fast-forward from `ancestor`);
    /// nil when the history cannot be read (a damaged object on the way).
    func isCommit(_ descendant: String, descendantOf ancestor: String) -> Bool? {
        var child = git_oid()
        var parent = git_oid()
        guard git_oid_fromstr(&child, descendant) == 0, git_oid_fromstr(&parent, ancestor) == 0 else { return false }
        if !containsObject(ancestor) { return false }
        let result = git_graph_descendant_of(handle, &child, &parent)
        return result < 0 ? nil : result == 1
    }
}
