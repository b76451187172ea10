import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// A damaged or half-written mirror is detected, thrown away and cloned again; the source
/// never hands out a commit it could not read back in full.
struct MirrorRepairTests {
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case garbageConfig, emptyDirectory, packsDeleted, packCorrupted, refToMissingObject, staleLocks
        var testDescription: String { rawValue }
    }

    @Test(arguments: Damage.allCases)
    func aDamagedMirrorIsClonedAgain(damage: Damage) throws {
        let fixture = try SourceFixture()
        let source = fixture.source()
        let first = try source.update(lastAccepted: nil)
        let mirror = try fixture.mirrorPath
        try apply(damage, to: mirror)
        // A new commit makes the source look at the mirror again, as the next sync would.
        let next = try fixture.commitAndPublish("version: 2\n")

        let update = try source.update(lastAccepted: first.commit.id)

        #expect(update.commit.id == next)
        #expect(update.change == .fastForward(from: first.commit.id))
        #expect(try source.mirror().tree(at: next).contents(of: "desired-state/app.yaml") == Array("version: 2\n".utf8))
    }

    @Test(arguments: [Damage.packsDeleted, .packCorrupted])
    func damageFoundWhenReadingTheSameCommitAgainIsRepairedToo(damage: Damage) throws {
        let fixture = try SourceFixture()
        let source = fixture.source()
        let first = try source.update(lastAccepted: nil)
        try apply(damage, to: try fixture.mirrorPath)
        // Forget that this commit was verified, so every object is read again.
        try FileManager.default.removeItem(atPath: fixture.stateDirectory + "/git/verified-commit")

        let update = try source.update(lastAccepted: first.commit.id)

        #expect(update.commit.id == first.commit.id)
        #expect(update.fetched)
    }

    @Test func aRemoteRefToAMissingObjectIsAnErrorNamingTheObject() throws {
        let fixture = try SourceFixture()
        let missing = String(repeating: "1f", count: 20)
        try (missing + "\n").write(toFile: fixture.bare + "/refs/heads/broken", atomically: true, encoding: .utf8)

        let error = #expect(throws: SourceError.self) {
            try fixture.source(reference: .branch("broken")).update(lastAccepted: nil)
        }

        #expect(error?.kind == .remote)
        #expect(error?.message.contains(missing) == true)
    }

    private func apply(_ damage: Damage, to mirror: String) throws {
        let manager = FileManager.default
        let packs = mirror + "/objects/pack"
        switch damage {
        case .garbageConfig:
            try "[core\n\u{0}garbage".write(toFile: mirror + "/config", atomically: true, encoding: .utf8)
        case .emptyDirectory:
            // What a clone killed right after mkdir leaves.
            try manager.removeItem(atPath: mirror)
            try manager.createDirectory(atPath: mirror, withIntermediateDirectories: false)
        case .packsDeleted:
            for name in try manager.contentsOfDirectory(atPath: packs) {
                try manager.removeItem(atPath: packs + "/" + name)
            }
        case .packCorrupted:
            for name in try manager.contentsOfDirectory(atPath: packs) where name.hasSuffix(".pack") {
                let path = packs + "/" + name
                var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                // Flip bytes in the middle of the compressed objects, past the header.
                for index in stride(from: 40, to: bytes.count - 20, by: 7) { bytes[index] ^= 0x5a }
                try manager.removeItem(atPath: path)
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            }
        case .refToMissingObject:
            let ref = mirror + "/refs/remotes/origin/main"
            try manager.createDirectory(
                atPath: (ref as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try (String(repeating: "2e", count: 20) + "\n").write(toFile: ref, atomically: true, encoding: .utf8)
        case .staleLocks:
            // A helper killed mid-fetch leaves lock files and a temporary pack.
            try "".write(toFile: mirror + "/refs/remotes/origin/main.lock", atomically: true, encoding: .utf8)
            try "".write(toFile: mirror + "/packed-refs.lock", atomically: true, encoding: .utf8)
            try "partial".write(toFile: packs + "/pack_git2_0123456789", atomically: true, encoding: .utf8)
        }
    }
}
