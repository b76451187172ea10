/// The repository a run worked from, as it may be shown: `status` tells it even when it was
/// given with `--repo` and no configuration file names it.
public struct RunRepository: Sendable, Equatable, Codable {
    /// The URL with any password already hidden; the store never holds a password.
    public var url: String
    /// The reference as stored: `branch:NAME`, `tag:NAME` or `commit:ID`.
    public var reference: String

    public init(url: String, reference: String) {
        self.url = url
        self.reference = reference
    }

    /// - Parameter shownURL: the URL with any password already hidden.
    public init(shownURL: String, reference: TrackedReference) {
        self.url = shownURL
        switch reference {
        case .branch(let name): self.reference = "branch:\(name)"
        case .tag(let name): self.reference = "tag:\(name)"
        case .commit(let id): self.reference = "commit:\(id)"
        }
    }

    /// The reference it was stored from; nil for a value no version of the reconciler writes.
    public var trackedReference: TrackedReference? {
        guard let colon = reference.firstIndex(of: ":") else { return nil }
        let name = String(reference[reference.index(after: colon)...])
        switch reference[..<colon] {
        case "branch": return .branch(name)
        case "tag": return .tag(name)
        case "commit": return .commit(name)
        default: return nil
        }
    }
}
