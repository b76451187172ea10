internal import CGit2
import Foundation

/// libgit2's network calls: list a remote's references, fetch into a repository.
///
/// These block until the server answers, and libgit2 1.5 has no timeouts: a server that
/// accepts and stays silent blocks them forever. Call them only in the network helper
/// process, whose parent enforces the deadline (see `RemoteHelper`).
enum GitRemote {
    /// Lists the remote's references without downloading objects.
    static func listReferences(session: RemoteSession) throws(GitError) -> [RemoteReference] {
        GitLibrary.ensureInitialized()
        let url = session.url.withoutPassword
        var remote: OpaquePointer?
        try check("open remote \(session.url.redacted)") { git_remote_create_detached(&remote, url) }
        defer { git_remote_free(remote) }

        var options = git_remote_connect_options()
        git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION))
        options.proxy_opts.type = GIT_PROXY_AUTO
        options.follow_redirects = redirectPolicy(session)
        return try withCallbacks(session) { callbacks throws(GitError) in
            options.callbacks = callbacks
            return try withHeaders(session) { headers throws(GitError) in
                options.custom_headers = headers
                try check("connect to \(session.url.redacted)") {
                    git_remote_connect_ext(remote, GIT_DIRECTION_FETCH, &options)
                }
                defer { git_remote_disconnect(remote) }
                var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
                var count = 0
                try check("list references of \(session.url.redacted)") { git_remote_ls(&heads, &count, remote) }
                return (0..<count).compactMap { index in
                    guard let head = heads?[index]?.pointee else { return nil }
                    var oid = head.oid
                    return RemoteReference(
                        name: String(cString: head.name), id: GitOID.hex(&oid),
                        symbolicTarget: head.symref_target.map { String(cString: $0) })
                }
            }
        }
    }

    /// Fetches `refspecs` from the session's URL into `repository`.
    static func fetch(into repository: GitRepository, refspecs: [String], session: RemoteSession) throws(GitError) {
        GitLibrary.ensureInitialized()
        var remote: OpaquePointer?
        try check("open remote \(session.url.redacted)") {
            git_remote_create_anonymous(&remote, repository.handle, session.url.withoutPassword)
        }
        defer { git_remote_free(remote) }

        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.prune = GIT_FETCH_NO_PRUNE
        options.update_fetchhead = 0
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE  // tags come only through explicit refspecs
        options.proxy_opts.type = GIT_PROXY_AUTO
        options.follow_redirects = redirectPolicy(session)
        try withCallbacks(session) { callbacks throws(GitError) in
            options.callbacks = callbacks
            try withHeaders(session) { headers throws(GitError) in
                options.custom_headers = headers
                try withStrings(refspecs) { specs throws(GitError) in
                    var specs = specs
                    try check("fetch \(refspecs.joined(separator: " ")) from \(session.url.redacted)") {
                        git_remote_fetch(remote, &specs, &options, "reconciler: fetch")
                    }
                }
            }
        }
    }

    /// Credentials sent up front must never follow a redirect to another server.
    private static func redirectPolicy(_ session: RemoteSession) -> git_remote_redirect_t {
        session.authorizationHeader == nil ? GIT_REMOTE_REDIRECT_INITIAL : GIT_REMOTE_REDIRECT_NONE
    }

    private static func withCallbacks<T>(
        _ session: RemoteSession, _ body: (git_remote_callbacks) throws(GitError) -> T
    ) throws(GitError) -> T {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.credentials = acquireCredential
        callbacks.certificate_check = checkCertificate
        callbacks.update_tips = recordUpdate
        callbacks.payload = Unmanaged.passUnretained(session).toOpaque()
        return try withExtendedLifetime(session) { () throws(GitError) -> T in try body(callbacks) }
    }

    private static func withHeaders<T>(
        _ session: RemoteSession, _ body: (git_strarray) throws(GitError) -> T
    ) throws(GitError) -> T {
        try withStrings(session.authorizationHeader.map { [$0] } ?? [], body)
    }

    /// A `git_strarray` of C copies of `strings`, valid during `body` only.
    private static func withStrings<T>(
        _ strings: [String], _ body: (git_strarray) throws(GitError) -> T
    ) throws(GitError) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer {
            for pointer in pointers { free(pointer) }
        }
        return try pointers.withUnsafeMutableBufferPointer { buffer throws(GitError) -> T in
            try body(git_strarray(strings: strings.isEmpty ? nil : buffer.baseAddress, count: strings.count))
        }
    }
}

// C callbacks for libgit2: they cannot capture anything, so the session travels in `payload`.

private func session(_ payload: UnsafeMutableRawPointer) -> RemoteSession {
    Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
}

private let acquireCredential: git_credential_acquire_cb = { out, _, usernameFromURL, allowedTypes, payload in
    guard let out, let payload else { return -1 }
    return session(payload).acquireCredential(
        out, usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowedTypes: allowedTypes)
}

private let checkCertificate: git_transport_certificate_check_cb = { certificate, _, host, payload in
    guard let certificate, let payload else { return -1 }
    return session(payload).checkCertificate(certificate, host: host.map { String(cString: $0) } ?? "")
}

private let recordUpdate:
    @convention(c) (
        UnsafePointer<CChar>?, UnsafePointer<git_oid>?, UnsafePointer<git_oid>?, UnsafeMutableRawPointer?
    ) -> Int32 = { name, old, new, payload in
        guard let name, let payload else { return 0 }
        session(payload).recordUpdate(name: String(cString: name), old: nonZeroHex(old), new: nonZeroHex(new))
        return 0
    }

private func nonZeroHex(_ oid: UnsafePointer<git_oid>?) -> String? {
    guard let oid, git_oid_is_zero(oid) == 0 else { return nil }
    return GitOID.hex(oid)
}
