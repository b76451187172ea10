import Foundation

/// Creating the bare mirror and clearing what a killed fetch leaves behind.
enum MirrorMaintenance {
    /// Opens the bare mirror, creating it (in a temporary directory, then renamed into place)
    /// when it does not exist, so a crash never leaves a half-initialised mirror under its name.
    static func openOrCreate(at path: String) throws -> GitRepository {
        if FileManager.default.fileExists(atPath: path) {
            return try GitRepository.openBare(at: path)
        }
        let temporary = path + ".new-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        // Closed again at once: the mirror is opened under its final name.
        _ = try GitRepository.createBare(at: temporary)
        guard rename(temporary, path) == 0 else {
            throw MirrorError("move the new mirror into \(path): \(String(cString: strerror(errno)))")
        }
        return try GitRepository.openBare(at: path)
    }

    /// Reads the mirror's configuration and every reference, so that damage there shows up
    /// as damage to the mirror rather than as a failed fetch from the remote.
    static func probe(_ repository: GitRepository) throws(GitError) {
        try repository.checkMirrorConfiguration()
        try repository.forEachMirrorReference { (reference, id) throws(GitError) in
            // A fetch trusts that what the refs point at is present and negotiates from there:
            // a missing object would be neither sent again nor noticed.
            guard repository.containsObject(id) else {
                throw GitError.missingObject(
                    operation: "check the mirror in \(repository.path)",
                    message: "\(reference) points at \(id), which is missing")
            }
        }
    }

    /// Removes reference lock files and temporary packs. Only safe while holding `MirrorLock`:
    /// then no one else is writing, and whatever is there was left by a helper that died.
    static func removeLeftovers(in mirrorPath: String) {
        let manager = FileManager.default
        try? manager.removeItem(atPath: mirrorPath + "/packed-refs.lock")
        try? manager.removeItem(atPath: mirrorPath + "/HEAD.lock")
        if let references = manager.enumerator(atPath: mirrorPath + "/refs") {
            for case let relative as String in references where relative.hasSuffix(".lock") {
                try? manager.removeItem(atPath: mirrorPath + "/refs/" + relative)
            }
        }
        let packs = mirrorPath + "/objects/pack"
        let names = Set((try? manager.contentsOfDirectory(atPath: packs)) ?? [])
        for name in names where name.hasPrefix("pack_git2_") {
            try? manager.removeItem(atPath: packs + "/" + name)
        }
        // A pack whose index is gone: a compaction died between deleting the two (see MirrorCompaction).
        for name in names where name.hasPrefix("pack-") && name.hasSuffix(".pack") {
            let base = String(name.dropLast(".pack".count))
            if !names.contains(base + ".idx") { try? manager.removeItem(atPath: packs + "/" + name) }
        }
        // Leftovers of an interrupted `openOrCreate`.
        let parent = (mirrorPath as NSString).deletingLastPathComponent
        let prefix = (mirrorPath as NSString).lastPathComponent + ".new-"
        for name in (try? manager.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(prefix) {
            try? manager.removeItem(atPath: parent + "/" + name)
        }
    }
}
