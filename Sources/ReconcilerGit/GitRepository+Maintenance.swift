internal import CGit2

extension GitRepository {
    /// Reads the mirror's configuration (a snapshot, dropped at once), so that a damaged
    /// config file fails here.
    func checkMirrorConfiguration() throws(GitError) {
        var config: OpaquePointer?
        try check("read the mirror's configuration in \(path)") {
            withUnsafeHandle { git_repository_config_snapshot(&config, $0) }
        }
        git_config_free(config)
    }

    /// Lists the mirror's references and lends `body` each name with the id it points at (not
    /// peeled), one reference at a time.
    /// - Throws: `GitError` when the list or a reference cannot be read, or what `body` throws.
    func forEachMirrorReference(_ body: (_ name: String, _ id: String) throws(GitError) -> Void) throws(GitError) {
        var names = git_strarray()
        try check("list the mirror's references in \(path)") { withUnsafeHandle { git_reference_list(&names, $0) } }
        defer { git_strarray_dispose(&names) }
        for index in 0..<names.count {
            guard let name = names.strings[index] else { continue }
            var oid = git_oid()
            let reference = String(cString: name)
            try check("read the mirror's reference \(reference) in \(path)") {
                withUnsafeHandle { git_reference_name_to_id(&oid, $0, name) }
            }
            try body(reference, GitObjectID(oid).hex)
        }
    }
}

extension GitRepository {
    /// Writes every object of the repository's object database (packed or loose, reachable or
    /// not: a commit the host still runs may no longer be on any branch) into one new pack with
    /// its index in `packDirectory`, and returns the pack's name (`pack-<hash>`) and how many
    /// objects it holds. Deletes nothing: the caller removes the old packs once this returned.
    func packAllObjects(into packDirectory: String) throws(GitError) -> (name: String, objects: Int) {
        let operation = "repack the objects of \(path)"
        let objects = try ObjectDatabase.open(in: self, operation: operation)
        var ids: [git_oid] = []
        try check(operation) {
            objects.withUnsafeHandle { odb in
                withUnsafeMutablePointer(to: &ids) { git_odb_foreach(odb, collectObjectID, $0) }
            }
        }
        var builder: OpaquePointer?
        try check(operation) { withUnsafeHandle { git_packbuilder_new(&builder, $0) } }
        guard let builder else { throw GitError(operation: operation, code: -1, errorClass: 0, message: "no handle") }
        defer { git_packbuilder_free(builder) }
        // One thread: the machine's cores belong to the services, not to housekeeping.
        git_packbuilder_set_threads(builder, 1)
        for var id in ids {
            // Ids seen twice (an object in two packs) are skipped by the packbuilder itself.
            try check(operation) { git_packbuilder_insert(builder, &id, nil) }
        }
        try check(operation) { git_packbuilder_write(builder, packDirectory, 0, nil, nil) }
        guard let name = git_packbuilder_name(builder) else {
            throw GitError(operation: operation, code: -1, errorClass: 0, message: "the new pack has no name")
        }
        let written = Int(git_packbuilder_written(builder))
        guard written == Int(git_packbuilder_object_count(builder)) else {
            throw GitError(
                operation: operation, code: -1, errorClass: 0,
                message: "wrote \(written) of \(git_packbuilder_object_count(builder)) objects")
        }
        return ("pack-" + String(cString: name), written)
    }
}

private let collectObjectID: git_odb_foreach_cb = { id, payload in
    guard let id, let payload else { return -1 }
    payload.assumingMemoryBound(to: [git_oid].self).pointee.append(id.pointee)
    return 0
}
