import Foundation

/// Whole-file replacement that a crash cannot tear: write a temporary file beside the
/// target, fsync it, rename it over the target, fsync the directory.
enum AtomicFile {
    static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw posixError("create \(temporary)") }
        let written = data.withUnsafeBytes { raw in
            raw.isEmpty ? 0 : Glibc.write(descriptor, raw.baseAddress, raw.count)
        }
        guard written == data.count, fsync(descriptor) == 0 else {
            let error = posixError("write \(temporary)")
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = posixError("rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    private static func posixError(_ what: String) -> MirrorError {
        MirrorError("\(what): \(String(cString: strerror(errno)))")
    }
}
