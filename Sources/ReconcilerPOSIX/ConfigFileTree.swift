import Foundation
public import ReconcilerCore

/// The reconciler's own tree of files from git (`ConfigFile.hostDirectory`): two levels of
/// directories (service, then target directory) holding the files. The tree is the
/// reconciler's alone, so every file in it is owned: nothing outside it is ever written or
/// deleted, and a file the desired state no longer names is removed from it.
///
/// Paths in and out are the logical ones under `ConfigFile.hostDirectory`; `root` is where
/// that tree really is (elsewhere only in tests).
public struct ConfigFileTree: Sendable {
    public let root: String

    public init(root: String = ConfigFile.hostDirectory) {
        self.root = root
    }

    /// Every regular file of the tree, by logical path. Temporary files an interrupted write
    /// left behind are deleted, not listed.
    public func observe() throws(POSIXFailure) -> [String: ObservedFile] {
        var files: [String: ObservedFile] = [:]
        for service in names(in: root) {
            for directory in names(in: "\(root)/\(service)") {
                let real = "\(root)/\(service)/\(directory)"
                AtomicFile.removeLeftovers(in: real)
                for name in names(in: real) {
                    let logical = "\(ConfigFile.hostDirectory)/\(service)/\(directory)/\(name)"
                    if let file = try read("\(real)/\(name)") { files[logical] = file }
                }
            }
        }
        return files
    }

    /// Replaces the file atomically, creating its directories (0755) first.
    public func write(_ path: String, contents: [UInt8], mode: UInt16) throws(POSIXFailure) {
        let real = try realPath(path)
        try makeDirectories(AtomicFile.parent(of: real))
        try AtomicFile.write(contents, to: real, mode: UInt32(mode))
    }

    /// Deletes the file, then its directories when they are left empty.
    public func remove(_ path: String) throws(POSIXFailure) {
        let real = try realPath(path)
        try AtomicFile.remove(real)
        var directory = AtomicFile.parent(of: real)
        while directory.hasPrefix(root + "/"), rmdir(directory) == 0 {
            directory = AtomicFile.parent(of: directory)
        }
    }

    /// Only paths inside the tree, exactly two directories deep, with no `.` or `..` part.
    private func realPath(_ path: String) throws(POSIXFailure) -> String {
        let prefix = ConfigFile.hostDirectory + "/"
        let parts = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard path.hasPrefix(prefix), parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else {
            throw POSIXFailure("touch \(path), which is not a file of \(ConfigFile.hostDirectory)", errno: EPERM)
        }
        return root + "/" + parts.joined(separator: "/")
    }

    private func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// A regular file's bytes and mode; nil for anything else (never follows a link).
    private func read(_ path: String) throws(POSIXFailure) -> ObservedFile? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ELOOP || errno == ENOENT { return nil }
            throw POSIXFailure("open \(path)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw POSIXFailure("stat \(path)") }
        guard status.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure("read \(path)")
            }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return ObservedFile(contents: bytes, mode: UInt16(status.st_mode & 0o7777))
    }

    private func makeDirectories(_ directory: String) throws(POSIXFailure) {
        var current = ""
        for part in directory.split(separator: "/") {
            current += "/" + part
            guard mkdir(current, 0o755) == 0 || errno == EEXIST else { throw POSIXFailure("create \(current)") }
        }
    }
}
