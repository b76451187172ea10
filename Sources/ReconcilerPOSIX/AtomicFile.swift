import Foundation

/// Whole-file replacement that a crash cannot tear: write a temporary file beside the
/// target, fsync it, rename it over the target, fsync the directory. A crash leaves the old
/// file or the new one, never half of either; `removeLeftovers` deletes the temporary
/// files a crash between create and rename left behind.
public enum AtomicFile {
    /// The infix every temporary file carries, so leftovers can be found. The same as unit
    /// files had before this helper existed, so their leftovers are found too.
    public static let temporaryInfix = ".reconciler-"

    /// Replaces `path` with `bytes`.
    /// - Parameter mode: the new file's permissions.
    /// - Throws: `POSIXFailure` naming the step that failed; the target is then unchanged.
    public static func write(_ bytes: some Collection<UInt8>, to path: String, mode: UInt32 = 0o644)
        throws(POSIXFailure)
    {
        let directory = parent(of: path)
        let name = String(path.dropFirst(directory.count + 1))
        let temporary = "\(directory)/.\(name)\(temporaryInfix)\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard descriptor >= 0 else { throw POSIXFailure("create \(temporary)", target: path) }
        let data = Array(bytes)
        var failure: POSIXFailure?
        var offset = 0
        while offset < data.count, failure == nil {
            let written = data[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno != EINTR { failure = POSIXFailure("write \(temporary)", target: path) }
            } else {
                offset += written
            }
        }
        // The umask may have narrowed the mode open() was given.
        if failure == nil, fchmod(descriptor, mode) != 0 {
            failure = POSIXFailure("set the mode of \(temporary)", target: path)
        }
        if failure == nil, fsync(descriptor) != 0 { failure = POSIXFailure("fsync \(temporary)", target: path) }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let failure = POSIXFailure("rename \(temporary) to \(path)", target: path)
            unlink(temporary)
            throw failure
        }
        syncDirectory(directory)
    }

    /// Deletes temporary files that an interrupted `write` left in `directory`. A file named
    /// after another live process is that process's write in progress (a second agent on the
    /// host sharing the unit directory), so it is left alone.
    public static func removeLeftovers(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(".") && name.contains(temporaryInfix) {
            if isWriteInProgress(name) { continue }
            unlink(directory + "/" + name)
        }
    }

    /// Whether a temporary file's name ends in the process ID of another running process.
    static func isWriteInProgress(_ name: String) -> Bool {
        guard let infix = name.range(of: temporaryInfix, options: .backwards),
            let pid = pid_t(name[infix.upperBound...]), pid > 0, pid != getpid()
        else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Deletes `path` and makes the deletion durable. A missing file is not an error.
    public static func remove(_ path: String) throws(POSIXFailure) {
        guard unlink(path) == 0 || errno == ENOENT else { throw POSIXFailure("delete \(path)") }
        syncDirectory(parent(of: path))
    }

    /// fsync on a directory makes the renames and deletions inside it durable.
    public static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// The directory part of `path`: "." for a bare file name, "/" for a file in the root.
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
