public import ReconcilerCore

/// A repository revision held in memory: file paths to bytes. Directories exist because
/// files are under them.
public struct InMemoryTree: RepositoryTree, Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case missing(String)
        public var description: String {
            switch self {
            case .missing(let path): "'\(path)' does not exist in this commit"
            }
        }
    }

    public var files: [String: [UInt8]]

    public init(files: [String: [UInt8]]) {
        self.files = files
    }

    public init(text: [String: String]) {
        files = text.mapValues { Array($0.utf8) }
    }

    public func entry(at path: String) -> RepositoryEntry? {
        if path.isEmpty { return .directory }
        if let bytes = files[path] { return .file(size: bytes.count) }
        return files.keys.contains { $0.hasPrefix(path + "/") } ? .directory : nil
    }

    public func children(of path: String) throws -> [String] {
        let prefix = path.isEmpty ? "" : path + "/"
        guard path.isEmpty || entry(at: path) == .directory else { throw Failure.missing(path) }
        var names = Set<String>()
        for file in files.keys where file.hasPrefix(prefix) {
            names.insert(String(file.dropFirst(prefix.count).prefix { $0 != "/" }))
        }
        return names.sorted()
    }

    public func contents(of path: String) throws -> [UInt8] {
        guard let bytes = files[path] else { throw Failure.missing(path) }
        return bytes
    }

    public func files(under path: String) throws -> [(path: String, id: String)] {
        try walkedFiles(under: path)
    }
}
