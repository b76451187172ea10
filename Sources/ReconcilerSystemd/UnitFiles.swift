import Foundation
import ReconcilerCore
import ReconcilerPOSIX

/// Unit files in the unit directory: replaced atomically, removed only when they carry the
/// ownership marker (checked again at the moment of removal, not only when planning).
public struct UnitFiles: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func path(of name: String) -> String { directory + "/" + name }

    /// Replaces the file through a temporary file beside it: a crash leaves the old file or
    /// the new one, never half.
    public func write(_ contents: String, to name: String) throws(UnitFileError) {
        do {
            try AtomicFile.write(Array(contents.utf8), to: path(of: name), mode: 0o644)
        } catch {
            throw UnitFileError(unit: name, message: error.description)
        }
    }

    /// Deletes the unit file if, and only if, it is ours.
    public func remove(_ name: String) throws(UnitFileError) {
        let target = path(of: name)
        guard let contents = try? String(contentsOfFile: target, encoding: .utf8) else { return }
        guard OwnershipMarker.source(in: contents) != nil else {
            throw UnitFileError(
                unit: name,
                message: "refusing to delete \(target): it no longer carries the \(OwnershipMarker.key) marker")
        }
        do {
            try AtomicFile.remove(target)
        } catch {
            throw UnitFileError(unit: name, message: error.description)
        }
    }

    /// Whether a file (or a link, even a dangling one) of that name is in the directory.
    public func exists(_ name: String) -> Bool {
        var status = stat()
        return lstat(path(of: name), &status) == 0
    }

    /// Removes temporary files a crash left between create and rename.
    public func removeLeftovers() {
        AtomicFile.removeLeftovers(in: directory)
    }
}

/// A unit file could not be written or deleted.
public struct UnitFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var unit: String
    public var message: String

    public init(unit: String, message: String) {
        self.unit = unit
        self.message = message
    }

    public var description: String { message }
}
