import Foundation
import ReconcilerCore
import ReconcilerGit
import ReconcilerPOSIX
import Testing

/// `reconciler diff` and the agent share one mirror. While another process holds the mirror's
/// lock, the source waits for it, or fails saying so, and never discards or repairs the mirror
/// under the other's feet.
struct MirrorLockTests {
    /// A mirror whose packs are damaged, so the next update would throw it away and clone again.
    static func damagedMirror(_ fixture: SourceFixture) throws -> (source: GitSource, applied: String) {
        var configuration = GitSourceConfiguration(
            url: fixture.bare, stateDirectory: fixture.stateDirectory, timeout: 5)
        configuration.mirrorLockTimeout = 1
        let source = GitSource(configuration: configuration, launcher: HelperBinary.launcher)
        let applied = try source.update(lastAccepted: nil).commit.id
        let packs = try fixture.mirrorPath + "/objects/pack"
        for name in try FileManager.default.contentsOfDirectory(atPath: packs) where name.hasSuffix(".pack") {
            let path = packs + "/" + name
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            for index in stride(from: 40, to: bytes.count - 20, by: 7) { bytes[index] ^= 0x5a }
            try FileManager.default.removeItem(atPath: path)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        try FileManager.default.removeItem(atPath: fixture.stateDirectory + "/git/verified-commit")
        return (source, applied)
    }

    /// The mirror's identity and content: its inode and every file's bytes.
    static func snapshot(_ mirror: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let inode = try FileManager.default.attributesOfItem(atPath: mirror)[.systemFileNumber] as? Int ?? -1
        files["inode"] = Data("\(inode)".utf8)
        for relative in FileManager.default.subpaths(atPath: mirror) ?? [] {
            files[relative] = FileManager.default.contents(atPath: mirror + "/" + relative)
        }
        return files
    }

    @Test("While another process holds the mirror's lock, update fails clearly and leaves the mirror untouched")
    func heldLockLeavesTheMirrorUntouched() throws {
        let fixture = try SourceFixture()
        let (source, applied) = try Self.damagedMirror(fixture)
        let mirror = try fixture.mirrorPath
        let before = try Self.snapshot(mirror)
        // Another handle on the same file: flock excludes it like another process.
        let other = try FileLock(path: mirror + ".lock", wait: false, recordPID: false)

        let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: applied) }

        #expect(error?.kind == .timedOut)
        #expect(error?.message.contains("in use by another reconciler process") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("was left as it is") == true)
        #expect(try Self.snapshot(mirror) == before)
        withExtendedLifetime(other) {}
    }

    @Test("A lock let go while the source waits is taken, and the update goes on")
    func updateWaitsForTheLock() throws {
        let fixture = try SourceFixture()
        var configuration = GitSourceConfiguration(
            url: fixture.bare, stateDirectory: fixture.stateDirectory, timeout: 5)
        configuration.mirrorLockTimeout = 20
        let source = GitSource(configuration: configuration, launcher: HelperBinary.launcher)
        let applied = try source.update(lastAccepted: nil).commit.id
        let next = try fixture.commitAndPublish("version: 2\n")
        nonisolated(unsafe) var other: FileLock? = try FileLock(
            path: try fixture.mirrorPath + ".lock", wait: false, recordPID: false)
        let released = DispatchSemaphore(value: 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) {
            other = nil
            released.signal()
        }
        let started = Date()

        let update = try source.update(lastAccepted: applied)

        #expect(update.commit.id == next)
        #expect(Date().timeIntervalSince(started) >= 0.9)
        released.wait()
        #expect(other == nil)
    }
}
