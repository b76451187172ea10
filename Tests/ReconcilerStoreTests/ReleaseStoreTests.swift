import Foundation
import ReconcilerCore
import ReconcilerStore
import Testing

/// Releases, the quarantine and the history limit, in a real SQLite file.
struct ReleaseStoreTests {
    let directory: TemporaryDirectory
    let clock = SteppingClock()
    let store: StateStore

    init() throws {
        directory = try TemporaryDirectory()
        store = try StateStore(stateDirectory: directory.stateDirectory, now: clock.now)
    }

    func start(_ commit: String, run: Int64? = nil) -> ReleaseStart {
        ReleaseStart(
            commit: commit, run: run, gatingServices: ["blog", "web"], images: ["localhost/reconciler/blog:t1"],
            addedUnits: ["blog.service"])
    }

    @Test("a release moves through its states and keeps its lists")
    func aReleaseMovesThroughItsStates() throws {
        let run = try store.beginRun(trigger: "once", commit: "c1")
        let id = try store.beginRelease(start("c1", run: run))
        #expect(try store.releases(limit: 5).first?.state == .applying)

        try store.markRelease(id, state: .verifying, message: nil)
        try store.markRelease(id, state: .failed, message: "blog did not start")
        try store.markRelease(id, state: .rolledBack, message: nil)

        let release = try #require(try store.releases(limit: 5).first)
        #expect(release.state == .rolledBack)
        #expect(release.message == "blog did not start")
        #expect(release.gatingServices == ["blog", "web"])
        #expect(release.images == ["localhost/reconciler/blog:t1"])
        #expect(release.addedUnits == ["blog.service"])
        #expect(release.run == run)
        #expect(try store.summary().release == release)
    }

    @Test("a release that lists nothing reads back as empty lists")
    func emptyListsReadBackEmpty() throws {
        _ = try store.beginRelease(
            ReleaseStart(commit: "c1", run: nil, gatingServices: [], images: [], addedUnits: []))
        let release = try #require(try store.releases(limit: 1).first)
        #expect(release.gatingServices.isEmpty && release.images.isEmpty && release.addedUnits.isEmpty)
    }

    @Test("marking a release that does not exist fails")
    func markingAMissingReleaseFails() throws {
        #expect(throws: StoreError.self) { try store.markRelease(42, state: .healthy, message: nil) }
    }

    @Test("the quarantine is a set: newest first, released one by one or all at once")
    func theQuarantineIsASet() throws {
        try store.quarantine("c1", reason: "did not start")
        try store.quarantine("c2", reason: "health check failed")
        try store.quarantine("c1", reason: "did not start again")

        #expect(try store.summary().quarantined.map(\.commit) == ["c1", "c2"])
        #expect(try store.summary().isQuarantined("c2"))
        #expect(try store.releaseQuarantine("c2") == ["c2"])
        #expect(try store.releaseQuarantine("c9") == [])
        #expect(try store.summary().quarantined.map(\.commit) == ["c1"])
        #expect(try store.releaseQuarantine(nil) == ["c1"])
        #expect(try store.summary().quarantined.isEmpty)
    }

    @Test("pruning keeps the newest runs, every unfinished run, and their actions only")
    func pruningKeepsTheNewestRuns() throws {
        for index in 1...12 {
            let run = try store.beginRun(trigger: "once", commit: "c\(index)")
            _ = try store.recordIntent(run: run, actions: [PlannedAction(.start, "blog.service", reason: "stopped")])
            if index != 2 { try store.finishRun(run, result: .succeeded, message: nil) }
            _ = try store.beginRelease(start("c\(index)", run: run))
        }

        #expect(try store.pruneHistory(keeping: 5) == 6)

        let kept = try store.history(limit: 100).map(\.commit)
        #expect(kept == ["c12", "c11", "c10", "c9", "c8", "c2"])
        #expect(try store.history(limit: 100).allSatisfy { $0.actions.count == 1 })
        // Every release here is still applying: unfinished releases are never pruned.
        #expect(try store.releases(limit: 100).count == 12)
        let orphans = try SQLiteInspector.query(
            store.path, "SELECT count(*) FROM runAction WHERE runID NOT IN (SELECT id FROM run)")
        #expect(orphans == ["0"])
    }

    @Test("pruning drops finished releases beyond the limit")
    func pruningDropsOldReleases() throws {
        for index in 1...8 {
            let id = try store.beginRelease(start("c\(index)"))
            try store.markRelease(id, state: .healthy, message: nil)
        }
        _ = try store.pruneHistory(keeping: 3)
        #expect(try store.releases(limit: 100).map(\.commit) == ["c8", "c7", "c6"])
    }

    @Test("a store written by the previous version keeps its held-back commit, quarantined")
    func aVersionOneStoreKeepsItsBadCommitAsQuarantined() throws {
        let path = directory.path + "/old.sqlite"
        for statement in [
            "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)",
            "INSERT INTO grdb_migrations VALUES ('v1')",
            """
            CREATE TABLE run (id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, commitID TEXT,
            startedAt DATETIME NOT NULL, endedAt DATETIME, result TEXT, message TEXT)
            """,
            "CREATE TABLE statusMark (key TEXT PRIMARY KEY NOT NULL, commitID TEXT, message TEXT, at DATETIME NOT NULL)",
            "INSERT INTO statusMark VALUES ('badCommit', 'c7', 'health check failed', '2025-01-01 00:00:00.000')",
            "INSERT INTO statusMark VALUES ('lastHealthy', 'c6', NULL, '2025-01-01 00:00:00.000')",
        ] {
            _ = try SQLiteInspector.query(path, statement)
        }

        let store = try StateStore(path: path)

        let summary = try store.summary()
        #expect(summary.quarantined.map(\.commit) == ["c7"])
        #expect(summary.quarantined.first?.reason == "health check failed")
        #expect(summary.lastHealthy?.commit == "c6")
        #expect(try SQLiteInspector.query(path, "SELECT count(*) FROM statusMark WHERE key = 'badCommit'") == ["0"])
    }
}
