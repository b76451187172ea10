import Foundation
import Glibc
import ReconcilerPOSIX

/// A failed system call while writing an export; `code` is the errno.
struct FileFailure: Error {
    var operation: String
    var path: String
    var code: Int32

    init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }
}

/// The file-system steps of an export: lock, temporary folder, durable writes, atomic rename.
///
/// Nothing here follows a symlink: files are created with O_EXCL | O_NOFOLLOW inside folders
/// this export created itself, so a link written earlier in the same export is never written through.
enum ExportFiles {
    /// Unfinished exports live in `<cache>/.partial-<tree id>-XXXXXX` until they are renamed.
    static let partialPrefix = ".partial-"

    /// True when `path` is a real directory (not a symlink to one).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// An exclusive flock(2) on `<cache>/.lock`, held while one export is written.
    struct Lock {
        private let lock: FileLock

        /// Creates the cache directory when missing, then waits for the lock.
        init(in cache: String) throws(FileFailure) {
            var prefix = cache.hasPrefix("/") ? "" : "."
            for component in cache.split(separator: "/") {
                prefix += "/\(component)"
                guard mkdir(prefix, 0o755) == 0 || errno == EEXIST else {
                    throw FileFailure("create the cache directory", prefix)
                }
            }
            let path = "\(cache)/.lock"
            do {
                lock = try FileLock(path: path, wait: true, mode: 0o644, recordPID: false)
            } catch {
                // Only a failed system call can end a wait without a timeout.
                guard case .system(let failure) = error else { throw FileFailure("lock", path, code: EWOULDBLOCK) }
                throw FileFailure("lock", path, code: failure.errno)
            }
        }

        /// Keeps the lock held up to this call; it is released when the value goes away.
        func release() {
            withExtendedLifetime(lock) {}
        }
    }

    /// Removes `.partial-*` folders: with the lock held, they are what a crashed export left.
    static func removeLeftovers(in cache: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        for name in names where name.hasPrefix(partialPrefix) {
            try? FileManager.default.removeItem(atPath: "\(cache)/\(name)")
        }
    }

    /// A new, empty folder in `cache` for the export of `treeID`.
    static func makeTemporaryDirectory(in cache: String, for treeID: String) throws(FileFailure) -> String {
        do {
            return try PrivateDirectory.make(prefix: "\(partialPrefix)\(treeID)", in: cache).path
        } catch {
            throw FileFailure("create a temporary folder in", cache, code: error.errno)
        }
    }

    static func makeDirectory(_ path: String) throws(FileFailure) {
        // chmod as well: mkdir's mode is reduced by the umask.
        guard mkdir(path, 0o755) == 0, chmod(path, 0o755) == 0 else { throw FileFailure("create the folder", path) }
    }

    static func makeSymlink(_ path: String, to target: String) throws(FileFailure) {
        guard symlink(target, path) == 0 else { throw FileFailure("create the symlink", path) }
    }

    /// Writes a new file with exactly `mode` and fsyncs it before closing.
    static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(FileFailure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw FileFailure("create the file", path) }
        var failure: FileFailure?
        if fchmod(descriptor, mode) != 0 { failure = FileFailure("set the mode of", path) }
        var written = 0
        while failure == nil, written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if count < 0 && errno != EINTR { failure = FileFailure("write", path) }
            if count > 0 { written += count }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = FileFailure("fsync", path) }
        if close(descriptor) != 0, failure == nil { failure = FileFailure("close", path) }
        if let failure { throw failure }
    }

    /// fsyncs a folder, so the names in it survive a crash.
    static func sync(_ directory: String) throws(FileFailure) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileFailure("open the folder", directory) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileFailure("fsync the folder", directory) }
    }

    /// Makes a complete export visible under its final name: the rename is atomic, and the
    /// fsyncs before and after make it durable in that order.
    static func finish(_ partial: String, as final: String, in cache: String) throws(FileFailure) {
        // mkdtemp created the folder 0700.
        guard chmod(partial, 0o755) == 0 else { throw FileFailure("set the mode of", partial) }
        try sync(partial)
        guard rename(partial, final) == 0 else { throw FileFailure("rename the finished export to", final) }
        try sync(cache)
    }
}
