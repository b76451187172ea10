import Foundation
import ReconcilerCore
import ReconcilerStore
import Testing

/// The repository each run worked from, kept in a real SQLite file so `status` can show it
/// when it came from `--repo`.
struct RunRepositoryTests {
    let directory: TemporaryDirectory
    let store: StateStore

    init() throws {
        directory = try TemporaryDirectory()
        store = try StateStore(stateDirectory: directory.stateDirectory)
    }

    @Test func aStoreWithoutRunsHasNoRepository() throws {
        #expect(try store.lastRunRepository() == nil)
    }

    @Test func theNewestRunsRepositoryIsReadBackAfterReopeningTheFile() throws {
        // Given two runs from different repositories, the newest on a tag
        let first = try store.beginRun(trigger: "once", commit: "c1")
        try store.recordRepository(RunRepository(shownURL: "/srv/old.git", reference: .branch("main")), run: first)
        try store.finishRun(first, result: .succeeded, message: nil)
        let second = try store.beginRun(trigger: "once", commit: "c2")
        let shown = RunRepository(shownURL: "https://ada:***@git.example/ops.git", reference: .tag("v2"))
        try store.recordRepository(shown, run: second)
        // and a later run that noted none (an older binary, a run that failed to begin)
        _ = try store.beginRun(trigger: "once", commit: "c3")

        // When the file is opened again
        let reopened = try StateStore(stateDirectory: directory.stateDirectory)

        // Then the newest noted repository is read back, reference included
        let last = try #require(try reopened.lastRunRepository())
        #expect(last == shown)
        #expect(last.trackedReference == .tag("v2"))
    }

    @Test func runsRecordedBeforeTheMigrationHaveNoRepository() throws {
        // Given a version-two store with a finished run
        let path = directory.path + "/v2.sqlite"
        for statement in [
            "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)",
            "INSERT INTO grdb_migrations VALUES ('v1'), ('v2')",
            """
            CREATE TABLE run (id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, commitID TEXT,
            startedAt DATETIME NOT NULL, endedAt DATETIME, result TEXT, message TEXT)
            """,
            "INSERT INTO run VALUES (1, 'once', 'c1', '2025-01-01 00:00:00.000', '2025-01-01 00:00:01.000', 'succeeded', NULL)",
        ] {
            _ = try SQLiteInspector.query(path, statement)
        }

        // When it is opened by this version
        let upgraded = try StateStore(path: path)

        // Then the old run is kept, without a repository, and a new run can note one
        #expect(try upgraded.lastRunRepository() == nil)
        #expect(try SQLiteInspector.query(path, "SELECT commitID FROM run WHERE repository IS NULL") == ["c1"])
        let run = try upgraded.beginRun(trigger: "once", commit: "c2")
        try upgraded.recordRepository(RunRepository(shownURL: "/srv/a.git", reference: .branch("main")), run: run)
        #expect(try upgraded.lastRunRepository()?.url == "/srv/a.git")
    }

    @Test func aRepositoryForARunThatDoesNotExistIsRefused() throws {
        #expect(throws: StoreError.self) {
            try store.recordRepository(RunRepository(shownURL: "/srv/a.git", reference: .branch("main")), run: 42)
        }
    }

    @Test(arguments: [
        (TrackedReference.branch("release/1"), "branch:release/1"), (.tag("v1.0"), "tag:v1.0"),
        (.commit(String(repeating: "ab", count: 20)), "commit:" + String(repeating: "ab", count: 20)),
    ])
    func referencesAreStoredAsKindAndName(reference: TrackedReference, stored: String) {
        let repository = RunRepository(shownURL: "/srv/a.git", reference: reference)
        #expect(repository.reference == stored)
        #expect(repository.trackedReference == reference)
    }
}
