import Glibc
import ReconcilerCore

/// A checkout on disk as a `RepositoryTree`: `reconciler validate` reads the working tree this way.
///
/// Every component of a path is checked with lstat(2), so the tree never follows a symlink
/// itself, not even one in the middle of a path; the core decides what a link may point at.
/// The `.git` folder is not part of the tree, and a nested folder with its own `.git` is a
/// submodule (or another repository), whose files are not the commit's.
struct DirectoryTree: RepositoryTree {
    /// The checkout's root folder.
    let root: String

    init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    func entry(at path: String) -> RepositoryEntry? {
        guard let components = Self.components(path) else { return nil }
        if components.isEmpty { return .directory }
        // Ancestors must be real directories: the kernel would follow a link there.
        for end in 1..<components.count {
            guard case .directory? = kind(of: Array(components[..<end])) else { return nil }
        }
        return kind(of: components)
    }

    func children(of path: String) throws -> [String] {
        guard case .directory? = entry(at: path), let components = Self.components(path) else {
            throw DirectoryTreeError(path: path, operation: "list", code: ENOTDIR)
        }
        guard let directory = opendir(absolute(components)) else {
            throw DirectoryTreeError(path: path, operation: "list", code: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." || (components.isEmpty && name == ".git") { continue }
            names.append(name)
        }
        return names.sorted()
    }

    func contents(of path: String) throws -> [UInt8] {
        guard case .file? = entry(at: path), let components = Self.components(path) else {
            throw DirectoryTreeError(path: path, operation: "read", code: EISDIR)
        }
        // O_NOFOLLOW: the last component was a regular file a moment ago and must still be one.
        let descriptor = open(absolute(components), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw DirectoryTreeError(path: path, operation: "read", code: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw DirectoryTreeError(path: path, operation: "read", code: errno)
            }
            if count == 0 { return bytes }
            bytes += buffer[..<count]
        }
    }

    func files(under path: String) throws -> [(path: String, id: String)] {
        try walkedFiles(under: path)
    }

    /// What lstat(2) says is at `components`, without looking through a final symlink.
    private func kind(of components: [Substring]) -> RepositoryEntry? {
        if components.first == ".git" { return nil }
        let path = absolute(components)
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return .file(size: Int(info.st_size))
        case S_IFDIR:
            var gitInfo = stat()
            return lstat(path + "/.git", &gitInfo) == 0 ? .submodule : .directory
        case S_IFLNK:
            return readlink(path, size: Int(info.st_size)).map { .symlink(target: $0) }
        default:
            // Sockets, fifos and devices have no place in a repository.
            return nil
        }
    }

    private func readlink(_ path: String, size: Int) -> String? {
        var buffer = [CChar](repeating: 0, count: max(size, 255) + 1)
        let count = Glibc.readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func absolute(_ components: [Substring]) -> String {
        ([root] + components.map(String.init)).joined(separator: "/")
    }

    /// The components of a repository-relative path; nil for paths that could leave the root.
    private static func components(_ path: String) -> [Substring]? {
        let components = path.split(separator: "/").filter { $0 != "." }
        guard !path.hasPrefix("/"), !components.contains("..") else { return nil }
        return components
    }
}

/// A checkout on disk could not be read.
struct DirectoryTreeError: Error, CustomStringConvertible {
    var path: String
    var operation: String
    var code: Int32

    var description: String {
        "cannot \(operation) '\(path)': \(String(cString: strerror(code)))"
    }
}
