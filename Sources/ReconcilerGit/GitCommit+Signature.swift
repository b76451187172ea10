internal import CGit2

extension GitCommit {
    /// The commit's `gpgsig` signature block and the raw commit without that header (what the
    /// signature covers), or nil when the commit is unsigned.
    /// - Throws: `GitError` when the commit object cannot be read.
    func signature() throws(GitError) -> (armor: [UInt8], signedData: [UInt8])? {
        var signature = git_buf()
        var signedData = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&signedData)
        }
        let commitID = id
        var oid = objectID.raw
        // A nil field means "gpgsig", which holds OpenPGP and SSH signatures alike.
        let code = repository.withUnsafeHandle { git_commit_extract_signature(&signature, &signedData, $0, &oid, nil) }
        if code == GIT_ENOTFOUND.rawValue { return nil }
        if code < 0 { throw GitError.last(code, operation: "read the signature of commit \(commitID)") }
        return (Self.bytes(of: signature), Self.bytes(of: signedData))
    }

    private static func bytes(of buffer: git_buf) -> [UInt8] {
        guard let pointer = buffer.ptr, buffer.size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: buffer.size))
    }
}
