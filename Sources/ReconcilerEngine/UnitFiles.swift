import Foundation
import ReconcilerCore

/// Unit files in the unit directory: replaced atomically, removed only when they carry the
/// ownership marker (checked again at the moment of removal, not only when planning).
public struct UnitFiles: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func path(of name: String) -> String { directory + "/" + name }

    /// Writes through a temporary file beside the target, fsyncs it, renames it into place
    /// and fsyncs the directory: a crash leaves the old file or the new one, never half.
    public func write(_ contents: String, to name: String) throws(ReconcileError) {
        let target = path(of: name)
        let temporary = directory + "/.\(name).reconciler-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw failure("create \(temporary)") }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        fchmod(descriptor, 0o644)
        close(descriptor)
        guard written == bytes.count, synced else {
            unlink(temporary)
            throw failure("write \(temporary)")
        }
        guard rename(temporary, target) == 0 else {
            let error = failure("move \(temporary) to \(target)")
            unlink(temporary)
            throw error
        }
        syncDirectory()
    }

    /// Deletes the unit file if, and only if, it is ours.
    public func remove(_ name: String) throws(ReconcileError) {
        let target = path(of: name)
        guard let contents = try? String(contentsOfFile: target, encoding: .utf8) else { return }
        guard OwnershipMarker.source(in: contents) != nil else {
            throw ReconcileError(
                .apply, "refusing to delete \(target): it no longer carries the \(OwnershipMarker.key) marker")
        }
        guard unlink(target) == 0 || errno == ENOENT else { throw failure("delete \(target)") }
        syncDirectory()
    }

    /// Removes temporary files a crash left between create and rename.
    public func removeLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(".") && name.contains(".reconciler-") {
            unlink(directory + "/" + name)
        }
    }

    private func syncDirectory() {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }

    private func failure(_ what: String) -> ReconcileError {
        ReconcileError(.apply, "cannot \(what): \(String(cString: strerror(errno)))")
    }
}
