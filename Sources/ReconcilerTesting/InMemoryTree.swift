public import ReconcilerCore

/// A repository tree held in memory: path -> file bytes, symlink or submodule. Directories exist
/// implicitly above every item, or explicitly when added empty. The core's tests read desired
/// states from it; the in-memory repository's commits are made of it.
public struct InMemoryTree: RepositoryTree, Sendable {
    public enum Item: Equatable, Sendable {
        case file([UInt8])
        case symlink(String)
        case submodule
        case directory
    }

    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "no such entry: \(path)" }
    }

    public private(set) var items: [String: Item] = [:]

    /// A tree with these text files.
    public init(_ files: [String: String] = [:]) {
        for (path, text) in files { items[path] = .file(Array(text.utf8)) }
    }

    /// Adds or replaces the item at `path`.
    public func with(_ path: String, _ item: Item) -> InMemoryTree {
        var copy = self
        copy.items[path] = item
        return copy
    }

    public func with(_ path: String, text: String) -> InMemoryTree { with(path, .file(Array(text.utf8))) }

    public func entry(at path: String) -> RepositoryEntry? {
        let path = Self.clean(path)
        if path.isEmpty { return .directory }
        switch items[path] {
        case .file(let bytes)?: return .file(size: bytes.count)
        case .symlink(let target)?: return .symlink(target: target)
        case .submodule?: return .submodule
        case .directory?: return .directory
        case nil: return items.keys.contains { $0.hasPrefix(path + "/") } ? .directory : nil
        }
    }

    public func children(of path: String) throws -> [String] {
        let path = Self.clean(path)
        guard entry(at: path) == .directory else { throw Missing(path: path) }
        let prefix = path.isEmpty ? "" : path + "/"
        let names = items.keys.compactMap { key -> String? in
            guard key.hasPrefix(prefix), key != path else { return nil }
            return key.dropFirst(prefix.count).split(separator: "/").first.map(String.init)
        }
        return Set(names).sorted()
    }

    public func files(under path: String) throws -> [(path: String, id: String)] {
        try walkedFiles(under: path)
    }

    public func contents(of path: String) throws -> [UInt8] {
        guard case .file(let bytes)? = items[Self.clean(path)] else { throw Missing(path: path) }
        return bytes
    }

    private static func clean(_ path: String) -> String {
        path == "." ? "" : path
    }
}
