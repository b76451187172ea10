import ReconcilerCore

/// How the mirror fetches and names what the host follows.
extension TrackedReference {
    /// The reference name the remote advertises, nil for a pinned commit.
    var remoteName: String? {
        switch self {
        case .branch(let name): "refs/heads/\(name)"
        case .tag(let name): "refs/tags/\(name)"
        case .commit: nil
        }
    }

    /// Where the mirror keeps its copy: branches and tags under names of their own, so a
    /// branch and a tag of the same name never overwrite each other.
    var mirrorName: String {
        switch self {
        case .branch(let name): "refs/remotes/origin/\(name)"
        case .tag(let name): "refs/tags/\(name)"
        case .commit(let id): "refs/reconciler/pinned/\(id)"
        }
    }

    /// The fetch refspecs that bring this reference into the mirror. The leading `+` lets a
    /// force push through (without it libgit2 downloads the objects but keeps the old ref).
    var refspecs: [String] {
        switch self {
        case .branch(let name):
            ["+refs/heads/\(name):\(mirrorName)"]
        case .tag(let name):
            ["+refs/tags/\(name):\(mirrorName)"]
        case .commit:
            // Servers refuse to send an arbitrary commit by id unless configured to, so fetch
            // every branch and tag and look for the commit among them.
            ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]
        }
    }
}
