/// What the host follows in the remote repository.
public enum TrackedReference: Sendable, Hashable, CustomStringConvertible {
    /// The tip of a branch: every push is a new desired state.
    case branch(String)
    /// A tag: moving the tag (or deleting and re-creating it) is a new desired state.
    case tag(String)
    /// One commit, by its full id: nothing the remote does changes what the host runs.
    case commit(String)

    public var description: String {
        switch self {
        case .branch(let name): "branch '\(name)'"
        case .tag(let name): "tag '\(name)'"
        case .commit(let id): "commit \(id)"
        }
    }
}
