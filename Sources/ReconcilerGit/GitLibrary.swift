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
}
