internal import CGit2

/// libgit2's global state. `git_libgit2_init` is reference counted and thread-safe, but
/// it must run before any other call; every wrapper goes through `ensureInitialized`.
enum GitLibrary {
    private static let initialized: Bool = {
        git_libgit2_init() > 0
    }()

    static func ensureInitialized() {
        _ = initialized
    }

    /// Applies the agent's process-wide libgit2 options; `caFile` adds trusted CAs for HTTPS.
    static func applyAgentSettings(caFile: String?) {
        ensureInitialized()
        // The host's own git configuration (proxies aside, read from the environment) must not
        // change what the agent fetches: no global, XDG or system config files.
        for level in [GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM] {
            _ = cgit2_set_search_path(level.rawValue, "")
        }
        // Local-path sources may belong to another user; libgit2 runs no hooks or filters, so the
        // risk owner validation guards against (git running a stranger's config) does not apply.
        _ = cgit2_set_owner_validation(0)
        _ = cgit2_enable_fsync_gitdir(1)
        _ = cgit2_set_user_agent("reconciler")
        if let caFile {
            // mbedTLS replaces its trust list: keep the system's CAs beside the extra file.
            _ = cgit2_set_ssl_cert_locations(caFile, "/etc/ssl/certs")
        }
    }
}
