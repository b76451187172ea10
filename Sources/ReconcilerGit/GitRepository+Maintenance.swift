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
