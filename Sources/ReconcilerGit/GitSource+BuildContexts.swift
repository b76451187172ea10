import Foundation

extension GitSource {
    /// Deletes the build directory and everything exported into it. A directory that is not
    /// there is fine: nothing was built.
    public func removeBuildContexts(in directory: String) throws {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            throw BuildContextCleanupError(directory: directory, underlying: "\(error)")
        }
    }
}

/// The build directory could not be deleted (it is only disk space; the next build retries).
struct BuildContextCleanupError: Error, CustomStringConvertible {
    var directory: String
    var underlying: String
    var description: String { "cannot delete the build contexts in \(directory): \(underlying)" }
}
