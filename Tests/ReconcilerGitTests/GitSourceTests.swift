import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// The git source against a local bare repository (path and file:// URL): cloning, the cheap
/// check, following branches, tags and pinned commits, and rewritten histories.
struct GitSourceTests {
    @Test(arguments: ["path", "file URL"])
    func theFirstUpdateClonesAndReturnsTheRemoteHead(form: String) throws {
        let fixture = try SourceFixture()
        let url = form == "path" ? fixture.bare : "file://" + fixture.bare
        let source = fixture.source(url: url)

        let update = try source.update(lastAccepted: nil)

        #expect(update.commit.id == (try fixture.head))
        #expect(update.change == .first)
        #expect(update.fetched)
        #expect(try source.remoteHead() == (try fixture.head))
    }

    @Test func anUnchangedRemoteIsNotFetchedAgain() throws {
        let fixture = try SourceFixture()
        let source = fixture.source()
        let first = try source.update(lastAccepted: nil)
        let packs = try packCount(fixture.mirrorPath)

        let second = try source.update(lastAccepted: first.commit.id)

        #expect(second.change == .unchanged)
        #expect(!second.fetched)
        #expect(second.commit.id == first.commit.id)
        #expect(try packCount(fixture.mirrorPath) == packs)
        #expect(source.mirrorIsCurrent(remoteHead: try source.remoteHead()))
    }

    @Test func aNewCommitIsFetchedAsAFastForward() throws {
        let fixture = try SourceFixture()
        let source = fixture.source()
        let first = try source.update(lastAccepted: nil)
        let next = try fixture.commitAndPublish("version: 2\n")

        #expect(!source.mirrorIsCurrent(remoteHead: try source.remoteHead()))
        let update = try source.update(lastAccepted: first.commit.id)

        #expect(update.commit.id == next)
        #expect(update.change == .fastForward(from: first.commit.id))
        #expect(update.fetched)
    }

    @Test func aForcePushIsFollowedAndReportedAsARewrite() throws {
        let fixture = try SourceFixture()
        try fixture.commitAndPublish("version: 2\n")
        let source = fixture.source()
        let applied = try source.update(lastAccepted: nil).commit.id
        try fixture.upstream.git("reset", "-q", "--hard", "HEAD~1")
        let rewritten = try fixture.commitAndPublish("version: 2b\n")

        let update = try source.update(lastAccepted: applied)

        #expect(update.commit.id == rewritten)
        #expect(update.change == .rewritten(from: applied))
    }

    @Test func requireFastForwardRefusesARewrittenHistoryNamingBothCommits() throws {
        let fixture = try SourceFixture()
        try fixture.commitAndPublish("version: 2\n")
        let source = fixture.source(requireFastForward: true)
        let applied = try source.update(lastAccepted: nil).commit.id
        try fixture.upstream.git("reset", "-q", "--hard", "HEAD~1")
        let rewritten = try fixture.commitAndPublish("version: 2b\n")

        let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: applied) }

        #expect(error?.kind == .historyRewritten)
        #expect(error?.message.contains(applied) == true)
        #expect(error?.message.contains(rewritten) == true)
        #expect(error?.isRetryable == false)
    }

    @Test func aDeletedBranchIsAnErrorThatKeepsTheLastGoodCommit() throws {
        let fixture = try SourceFixture()
        try fixture.upstream.git("branch", "release")
        try fixture.publish()
        let source = fixture.source(reference: .branch("release"))
        _ = try source.update(lastAccepted: nil)
        try fixture.upstream.git("push", "-q", fixture.bare, ":refs/heads/release")

        let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: nil) }

        #expect(error?.kind == .referenceMissing)
        #expect(error?.message.contains("branch 'release' is not on \(fixture.bare)") == true)
    }

    @Test func aTagIsFollowedWhenItMoves() throws {
        let fixture = try SourceFixture()
        let tagged = try fixture.head
        try fixture.upstream.git("tag", "-a", "production", "-m", "release 1")
        try fixture.publish()
        try fixture.commitAndPublish("version: 2\n")
        let source = fixture.source(reference: .tag("production"))

        let first = try source.update(lastAccepted: nil)
        #expect(first.commit.id == tagged)

        let moved = try fixture.head
        try fixture.upstream.git("tag", "-f", "-a", "production", "-m", "release 2")
        try fixture.publish()
        let second = try source.update(lastAccepted: first.commit.id)

        #expect(second.commit.id == moved)
        #expect(second.fetched)
        // The tag object is peeled before judging the direction: a tag moved forward is a
        // fast-forward, not a rewrite, and needs no fresh clone.
        #expect(second.change == .fastForward(from: tagged))
    }

    @Test func anAnnotatedTagMovedForwardIsAcceptedWhenFastForwardsAreRequired() throws {
        let fixture = try SourceFixture()
        try fixture.upstream.git("tag", "-a", "v1", "-m", "release 1")
        try fixture.publish()
        let source = fixture.source(reference: .tag("v1"), requireFastForward: true)
        let first = try source.update(lastAccepted: nil)
        try fixture.commitAndPublish("version: 2\n")
        try fixture.upstream.git("tag", "-f", "-a", "v1", "-m", "release 2")
        try fixture.publish()

        let second = try source.update(lastAccepted: first.commit.id)
        #expect(second.commit.id == (try fixture.head))
        #expect(second.change == .fastForward(from: first.commit.id))
    }

    @Test func aTagTheRemoteDoesNotHaveIsRefusedByName() throws {
        let fixture = try SourceFixture()

        let error = #expect(throws: SourceError.self) {
            try fixture.source(reference: .tag("v9")).update(lastAccepted: nil)
        }

        #expect(error?.kind == .referenceMissing)
        #expect(error?.message.contains("tag 'v9' is not on \(fixture.bare)") == true, "\(error?.message ?? "")")
    }

    @Test func aLightweightTagIsFollowedToItsCommit() throws {
        let fixture = try SourceFixture()
        let tagged = try fixture.head
        try fixture.upstream.git("tag", "light")
        try fixture.publish()
        try fixture.commitAndPublish("version: 2\n")

        #expect(try fixture.source(reference: .tag("light")).update(lastAccepted: nil).commit.id == tagged)
    }

    @Test func aPinnedCommitNeedsNoNetworkOnceFetched() throws {
        let fixture = try SourceFixture()
        let pinned = try fixture.head
        try fixture.commitAndPublish("version: 2\n")
        let source = fixture.source(reference: .commit(pinned))

        let first = try source.update(lastAccepted: nil)
        try fixture.commitAndPublish("version: 3\n")
        let second = try source.update(lastAccepted: pinned)

        #expect(first.commit.id == pinned)
        #expect(second.commit.id == pinned)
        #expect(!second.fetched)
        #expect(second.change == .unchanged)
    }

    @Test func aPinnedCommitTheRemoteDoesNotHaveIsRefused() throws {
        let fixture = try SourceFixture()
        let missing = String(repeating: "ab", count: 20)

        let error = #expect(throws: SourceError.self) {
            try fixture.source(reference: .commit(missing)).update(lastAccepted: nil)
        }

        #expect(error?.kind == .referenceMissing)
        #expect(error?.message.contains(missing) == true)
    }

    @Test func theCommitsTreeIsReadFromTheMirrorNotAWorkingTree() throws {
        let fixture = try SourceFixture()
        let source = fixture.source()
        let update = try source.update(lastAccepted: nil)
        // The upstream's working tree changes but nothing is committed: it must not show.
        try "version: dirty\n".write(
            toFile: fixture.upstream.path + "/desired-state/app.yaml", atomically: true, encoding: .utf8)

        let tree = try source.mirror().tree(at: update.commit.id)

        #expect(try tree.contents(of: "desired-state/app.yaml") == Array("version: 1\n".utf8))
    }

    private func packCount(_ mirror: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: mirror + "/objects/pack").filter { $0.hasSuffix(".pack") }
            .count
    }
}
