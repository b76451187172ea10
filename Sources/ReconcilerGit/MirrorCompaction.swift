import Foundation

/// libgit2 has no gc: every fetch adds a pack to the mirror, and lookups slow down with each.
/// Past `maximumPacks`, the helper (holding the mirror lock) writes every object into one new
/// pack and deletes the old packs and loose objects.
///
/// Crash-safe by order: the new pack and its index are written (libgit2 renames them into
/// place when complete) and flushed to disk before anything is deleted, and an old pack's
/// index goes before its pack, so the mirror always has every object in some indexed pack. A
/// crash halfway leaves duplicate objects, or a pack without index, which libgit2 ignores and
/// `removeLeftovers` deletes.
enum MirrorCompaction {
    /// More packs than this and the next fetch compacts.
    static let maximumPacks = 16

    struct Result: Equatable {
        var packsBefore: Int
        var looseBefore: Int
        var objects: Int
    }

    /// Compacts the mirror when it has more than `maximumPacks` packs; nil when it had not.
    static func compactIfNeeded(_ repository: GitRepository, at mirrorPath: String) throws -> Result? {
        let packDirectory = mirrorPath + "/objects/pack"
        let packs = indexedPacks(in: packDirectory)
        guard packs.count > maximumPacks else { return nil }
        let loose = looseObjects(in: mirrorPath + "/objects")
        let (name, objects) = try repository.packAllObjects(into: packDirectory)
        for suffix in [".pack", ".idx"] {
            try flush(packDirectory + "/" + name + suffix)
        }
        try flush(packDirectory)
        for old in packs where old != name {
            // Index first: a pack without its index is ignored, an index without its pack is not.
            unlink(packDirectory + "/" + old + ".idx")
            unlink(packDirectory + "/" + old + ".rev")
            unlink(packDirectory + "/" + old + ".pack")
        }
        for path in loose { unlink(path) }
        return Result(packsBefore: packs.count, looseBefore: loose.count, objects: objects)
    }

    /// Names (`pack-<hash>`) of the packs that have an index and no `.keep` file.
    static func indexedPacks(in packDirectory: String) -> [String] {
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: packDirectory)) ?? [])
        return names.filter { $0.hasPrefix("pack-") && $0.hasSuffix(".idx") }
            .map { String($0.dropLast(".idx".count)) }
            .filter { names.contains($0 + ".pack") && !names.contains($0 + ".keep") }
            .sorted()
    }

    /// Paths of loose objects: `objects/xx/` followed by 38 hex digits.
    private static func looseObjects(in objectDirectory: String) -> [String] {
        let manager = FileManager.default
        var paths: [String] = []
        for directory in (try? manager.contentsOfDirectory(atPath: objectDirectory)) ?? []
        where directory.count == 2 && directory.allSatisfy(\.isHexDigit) {
            let base = objectDirectory + "/" + directory
            for name in (try? manager.contentsOfDirectory(atPath: base)) ?? []
            where name.count == 38 && name.allSatisfy(\.isHexDigit) {
                paths.append(base + "/" + name)
            }
        }
        return paths
    }

    private static func flush(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw MirrorError("open \(path) to flush it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw MirrorError("flush \(path): \(String(cString: strerror(errno)))") }
    }
}
