import Foundation
import Glibc
import ReconcilerCore
import Testing

@testable import ReconcilerStore

/// Opening the database file: schema, settings, permissions, and files that are not ours.
struct StateStoreOpeningTests {
    @Test func migrationsCreateTheSchemaAndReopeningKeepsTheDataWithoutMigratingAgain() throws {
        // Given a store that recorded a run and a unit, then was closed
        let directory = try TemporaryDirectory()
        let path = directory.stateDirectory + "/state.sqlite"
        do {
            let store = try StateStore(stateDirectory: directory.stateDirectory, now: SteppingClock().now)
            let run = try store.beginRun(trigger: "once", commit: "c1")
            try store.finishRun(run, result: .succeeded, message: nil)
            try store.recordUnitWritten("blog.service", commit: "c1")
        }
        let tables = try SQLiteInspector.query(
            path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        #expect(
            tables == [
                "grdb_migrations", "notificationOutbox", "notificationState", "ownedImage", "ownedUnit",
                "quarantine", "release", "run", "runAction", "sqlite_sequence", "statusMark",
            ]
        )

        // When it is opened again
        let store = try StateStore(stateDirectory: directory.stateDirectory)

        // Then the data is there and each migration ran once
        #expect(try store.history(limit: 10).map(\.commit) == ["c1"])
        #expect(try store.inventory().units == ["blog.service"])
        #expect(
            try SQLiteInspector.query(path, "SELECT identifier FROM grdb_migrations") == [
                "v1", "v2", "v3-run-repository", "v4-notification-outbox",
            ])
        // Times are UTC text with milliseconds, readable by any SQLite client.
        #expect(try SQLiteInspector.query(path, "SELECT startedAt FROM run") == ["2025-01-01 00:00:00.000"])
    }

    @Test func theDatabaseUsesWriteAheadLoggingFullSyncAndForeignKeys() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(stateDirectory: directory.stateDirectory)

        #expect(try store.pragma("journal_mode") == "wal")
        #expect(try store.pragma("synchronous") == "2")  // FULL
        #expect(try store.pragma("foreign_keys") == "1")
        // WAL is a property of the file: another client sees it too.
        #expect(try SQLiteInspector.query(store.path, "PRAGMA journal_mode") == ["wal"])
    }

    @Test func theStateDirectoryAndTheDatabaseFilesAreCreatedPrivate() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(stateDirectory: directory.stateDirectory + "/nested")
        _ = try store.beginRun(trigger: "once", commit: nil)

        #expect(try mode(of: directory.stateDirectory) == 0o700)
        #expect(try mode(of: directory.stateDirectory + "/nested") == 0o700)
        #expect(try mode(of: store.path) == 0o600)
        #expect(try mode(of: store.path + "-wal") == 0o600)
        #expect(store.path == directory.stateDirectory + "/nested/state.sqlite")
    }

    @Test func aFileThatIsNotADatabaseGivesAnErrorNamingThePath() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/state.sqlite"
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: path))

        let error = #expect(throws: StoreError.self) { try StateStore(path: path) }

        #expect(error?.description == "open the state store in \(path): file is not a database")
        #expect(error?.sqliteCode == 26)  // SQLITE_NOTADB
    }

    @Test func aDatabaseMigratedByANewerVersionIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/state.sqlite"
        _ = try StateStore(path: path)
        _ = try SQLiteInspector.query(path, "INSERT INTO grdb_migrations VALUES ('v9')")

        let error = #expect(throws: StoreError.self) { try StateStore(path: path) }

        #expect(
            error?.description.hasPrefix("open the state store in \(path): written by a newer reconciler (schema v9)")
                == true)
    }

    @Test func aStateDirectoryThatCannotBeCreatedGivesAnErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path + "/file"
        try Data().write(to: URL(fileURLWithPath: file))

        let error = #expect(throws: StoreError.self) { try StateStore(stateDirectory: file + "/state") }

        #expect(error?.description == "create the state directory in \(file)/state: Not a directory")
    }

    private func mode(of path: String) throws -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return info.st_mode & 0o7777
    }
}
