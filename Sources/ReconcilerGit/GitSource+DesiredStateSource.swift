import Foundation
public import ReconcilerCore
import ReconcilerPOSIX

/// The git mirror is the engine's desired-state source.
extension GitSource: DesiredStateSource {
    public func revision(_ id: String) throws -> Revision {
        try mirror().revision(at: id)
    }

    public func tree(at commit: String) throws -> any RepositoryTree {
        try mirror().tree(at: commit)
    }

    /// Exports the context directory by its tree id (an unchanged context is not written
    /// again). Manifest paths are relative to the repository root; a Dockerfile outside the
    /// context is written next to the export, from the same commit.
    public func exportBuildContext(
        _ context: String, dockerfile: String, at commit: String, into directory: String
    ) throws -> ExportedBuildContext {
        try withMirrorLock { try exportHoldingLock(context, dockerfile: dockerfile, at: commit, into: directory) }
    }

    private func exportHoldingLock(
        _ context: String, dockerfile: String, at commit: String, into directory: String
    ) throws -> ExportedBuildContext {
        let mirror = try mirror()
        let exported = try mirror.export(path: context, at: commit, into: directory)
        let prefix = context == "." || context.isEmpty ? "" : context + "/"
        if prefix.isEmpty || dockerfile.hasPrefix(prefix) {
            return ExportedBuildContext(
                directory: exported, dockerfile: exported + "/" + dockerfile.dropFirst(prefix.count))
        }
        let target = exported + ".Dockerfile"
        let bytes: [UInt8] = try mirror.tree(at: commit).contents(of: dockerfile)
        try ReconcilerPOSIX.AtomicFile.write(bytes, to: target, mode: 0o644)
        return ExportedBuildContext(directory: exported, dockerfile: target)
    }
}
