internal import CGit2
import Foundation

/// A remote (`git_remote*`) for libgit2's network calls: list its references, fetch from it.
///
/// These block until the server answers, and libgit2 1.5 has no timeouts: a server that
/// accepts and stays silent blocks them forever. Call them only in the network helper
/// process, whose parent enforces the deadline (see `RemoteHelper`).
final class GitRemote {
    /// The `git_remote*`, freed in deinit; the module borrows it through `withUnsafeHandle`.
    private let handle: OpaquePointer
    // A remote created for a repository points into it: the repository must outlive it.
    private let repository: GitRepository?

    private init(owning handle: OpaquePointer, repository: GitRepository?) {
        self.handle = handle
        self.repository = repository
    }

    deinit {
        git_remote_free(handle)
    }

    /// Lends `body` the raw `git_remote*`, valid only until `body` returns.
    func withUnsafeHandle<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(self) { () throws(E) -> R in try body(handle) }
    }

    /// Runs a libgit2 call that creates a remote and takes ownership of the handle it returns.
    private static func adopt(
        _ session: RemoteSession, repository: GitRepository?, _ create: (inout OpaquePointer?) -> Int32
    ) throws(GitError) -> GitRemote {
        GitLibrary.ensureInitialized()
        let operation = "open remote \(session.url.redacted)"
        var remote: OpaquePointer?
        try check(operation) { create(&remote) }
        guard let remote else { throw GitError(operation: operation, code: -1, errorClass: 0, message: "no handle") }
        return GitRemote(owning: remote, repository: repository)
    }

    /// Lists the remote's references without downloading objects.
    static func listReferences(session: RemoteSession) throws(GitError) -> [RemoteReference] {
        let url = session.url.withoutPassword
        let remote = try adopt(session, repository: nil) { git_remote_create_detached(&$0, url) }
        return try remote.references(session: session)
    }

    /// Fetches `refspecs` from the session's URL into `repository`.
    static func fetch(into repository: GitRepository, refspecs: [String], session: RemoteSession) throws(GitError) {
        let url = session.url.withoutPassword
        let remote = try adopt(session, repository: repository) { remote in
            repository.withUnsafeHandle { git_remote_create_anonymous(&remote, $0, url) }
        }
        try remote.fetch(refspecs: refspecs, session: session)
    }

    /// Pushes `refspecs` from `repository` to the session's URL.
    static func push(from repository: GitRepository, refspecs: [String], session: RemoteSession) throws(GitError) {
        let url = session.url.withoutPassword
        let remote = try adopt(session, repository: repository) { remote in
            repository.withUnsafeHandle { git_remote_create_anonymous(&remote, $0, url) }
        }
        try remote.push(refspecs: refspecs, session: session)
    }

    private func push(refspecs: [String], session: RemoteSession) throws(GitError) {
        var options = git_push_options()
        git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
        options.proxy_opts.type = GIT_PROXY_AUTO
        options.follow_redirects = Self.redirectPolicy(session)
        try Self.withCallbacks(session) { callbacks throws(GitError) in
            options.callbacks = callbacks
            try Self.withHeaders(session) { headers throws(GitError) in
                options.custom_headers = headers
                try Self.withStrings(refspecs) { specs throws(GitError) in
                    var specs = specs
                    try check("push to \(session.url.redacted)") { git_remote_push(handle, &specs, &options) }
                }
            }
        }
    }

    private func references(session: RemoteSession) throws(GitError) -> [RemoteReference] {
        var options = git_remote_connect_options()
        git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION))
        options.proxy_opts.type = GIT_PROXY_AUTO
        options.follow_redirects = Self.redirectPolicy(session)
        return try Self.withCallbacks(session) { callbacks throws(GitError) in
            options.callbacks = callbacks
            return try Self.withHeaders(session) { headers throws(GitError) in
                options.custom_headers = headers
                try check("connect to \(session.url.redacted)") {
                    git_remote_connect_ext(handle, GIT_DIRECTION_FETCH, &options)
                }
                defer { git_remote_disconnect(handle) }
                var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
                var count = 0
                try check("list references of \(session.url.redacted)") { git_remote_ls(&heads, &count, handle) }
                return (0..<count).compactMap { index in
                    guard let head = heads?[index]?.pointee else { return nil }
                    return RemoteReference(
                        name: String(cString: head.name), id: GitObjectID(head.oid).hex,
                        symbolicTarget: head.symref_target.map { String(cString: $0) })
                }
            }
        }
    }

    private func fetch(refspecs: [String], session: RemoteSession) throws(GitError) {
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.prune = GIT_FETCH_NO_PRUNE
        options.update_fetchhead = 0
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE  // tags come only through explicit refspecs
        options.proxy_opts.type = GIT_PROXY_AUTO
        options.follow_redirects = Self.redirectPolicy(session)
        try Self.withCallbacks(session) { callbacks throws(GitError) in
            options.callbacks = callbacks
            try Self.withHeaders(session) { headers throws(GitError) in
                options.custom_headers = headers
                try Self.withStrings(refspecs) { specs throws(GitError) in
                    var specs = specs
                    try check("fetch \(refspecs.joined(separator: " ")) from \(session.url.redacted)") {
                        git_remote_fetch(handle, &specs, &options, "reconciler: fetch")
                    }
                }
            }
        }
    }

    /// Credentials sent up front must never follow a redirect to another server.
    private static func redirectPolicy(_ session: RemoteSession) -> git_remote_redirect_t {
        session.authorizationHeader == nil ? GIT_REMOTE_REDIRECT_INITIAL : GIT_REMOTE_REDIRECT_NONE
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
