import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// A mirror fetched many times gathers one pack per fetch; past 16 packs the next fetch
/// compacts them into one, and nothing is lost.
struct MirrorCompactionTests {
    static func packCount(_ mirror: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: mirror + "/objects/pack").count { $0.hasSuffix(".pack") }
    }

    @Test("Twenty fetches leave few packs; every ref, every fetched commit and the next fetch still work")
    func manyFetchesAreCompacted() throws {
        let fixture = try SourceFixture()
        let source = fixture.source()
        var applied = try source.update(lastAccepted: nil).commit.id
        var commits = [applied]
        var most = 0
        for round in 2...20 {
            let next = try fixture.commitAndPublish("version: \(round)\n")
            let update = try source.update(lastAccepted: applied)
            #expect(update.commit.id == next)
            applied = next
            commits.append(next)
            most = max(most, try Self.packCount(try fixture.mirrorPath))
        }
        // An old commit no branch points at any more must survive: the host may still run it.
        try fixture.upstream.git("reset", "-q", "--hard", commits[0])
        let rewritten = try fixture.commitAndPublish("version: rewritten\n")
        #expect(try source.update(lastAccepted: applied).commit.id == rewritten)
        let mirror = try fixture.mirrorPath

        #expect(most <= 17, "the mirror had \(most) packs")
        // Compacted at the 17th pack (round 17) into one, plus one pack for each fetch since.
        #expect(try Self.packCount(mirror) == 5)
        let repository = try source.mirror()
        for commit in commits + [rewritten] {
            #expect(try repository.revision(at: commit).id == commit)
        }
        #expect(
            try repository.tree(at: commits[9]).contents(of: "desired-state/app.yaml") == Array("version: 10\n".utf8))
        let last = try fixture.commitAndPublish("version: last\n")
        #expect(try source.update(lastAccepted: rewritten).commit.id == last)
    }
}

extension MirrorCompactionTests {
    @Test(
        "A compaction killed between deleting an old index and its pack leaves a mirror the next fetch uses and tidies")
    func killedCompactionIsTidiedUp() throws {
        let fixture = try SourceFixture()
        let source = fixture.source()
        let applied = try source.update(lastAccepted: nil).commit.id
        let packs = try fixture.mirrorPath + "/objects/pack"
        // What the killed compaction leaves: a new pack holding everything, and an old pack without its index.
        let old = try #require(
            try FileManager.default.contentsOfDirectory(atPath: packs).first { $0.hasSuffix(".pack") })
        try FileManager.default.copyItem(
            atPath: packs + "/" + old, toPath: packs + "/pack-0123456789abcdef0123456789abcdef01234567.pack")
        let next = try fixture.commitAndPublish("version: 2\n")

        #expect(try source.update(lastAccepted: applied).commit.id == next)
        #expect(!FileManager.default.fileExists(atPath: packs + "/pack-0123456789abcdef0123456789abcdef01234567.pack"))
    }
}
