public import Foundation
internal import GRDB
internal import Glibc
import ReconcilerPOSIX

/// The reconciler's record on this host: runs and their actions, what it owns, and the
/// commits it applied. One SQLite file, written through GRDB.
///
/// Every write is one immediate transaction, committed to disk before the call returns,
/// so a run can record what it is about to do before doing it and find that record after
/// a crash.
public final class StateStore: Sendable {
    /// The file name of the database inside the state directory.
    public static let fileName = "state.sqlite"

    /// The database file.
    public let path: String
    let queue: DatabaseQueue
    /// Where timestamps come from; tests pass a clock that moves in whole seconds.
    let now: @Sendable () -> Date

    /// Opens (creating if needed) `<stateDirectory>/state.sqlite`.
    public convenience init(
        stateDirectory: String,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(StoreError) {
        try self.init(path: stateDirectory + "/" + Self.fileName, now: now)
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// - Throws: `StoreError` when the directory or file cannot be created, the file is
    ///   not a SQLite database, or a newer reconciler migrated it past this version.
    public init(path: String, now: @escaping @Sendable () -> Date = { Date() }) throws(StoreError) {
        self.path = path
        self.now = now
        do {
            try StateDirectory.create(AtomicFile.parent(of: path))
            // SQLite would create the file 0644; create it first so it and the -wal and
            // -shm files SQLite derives from its mode stay private.
            let descriptor = try StateDirectory.openFile(path, operation: "create the state store")
            close(descriptor)
        } catch {
            throw StoreError(
                operation: error.operation,
                path: error.path,
                message: error.message
            )
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: Self.configuration())
            try Self.migrate(queue)
        } catch {
            throw StoreError(operation: "open the state store", path: path, error: error)
        }
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "reconciler.state"
        configuration.foreignKeysEnabled = true
        // `reconciler status` and `diff` may read while the daemon writes; wait for the
        // other process rather than fail at once.
        configuration.busyMode = .timeout(5)
        // WAL is set here and not with `journalMode = .wal`: GRDB's WAL setup runs after
        // these functions and lowers `synchronous` to NORMAL, which may lose the last
        // commits on power loss. The record of intent must survive that, so FULL.
        configuration.prepareDatabase { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            guard mode == "wal" else {
                throw StoreRefusal(message: "SQLite refused WAL mode (journal mode is \(mode ?? "unknown"))")
            }
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    /// Applies missing migrations, and refuses a file a newer reconciler migrated further:
    /// this version cannot know what the newer schema means.
    private static func migrate(_ queue: DatabaseQueue) throws {
        let migrator = StoreSchema.migrator
        try migrator.migrate(queue)
        let unknown = try queue.read { db in
            try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
        }
        if !unknown.isEmpty {
            throw StoreRefusal(
                message: "written by a newer reconciler (schema \(unknown.sorted().joined(separator: ", "))); "
                    + "run that version, or move the file aside to start a new history"
            )
        }
    }

    /// Runs `body` in one immediate transaction and maps any failure to a `StoreError`.
    ///
    /// Immediate, not deferred: in WAL mode a deferred transaction that reads, then writes
    /// after another process wrote, fails at once with "database is locked" instead of
    /// waiting out the busy timeout; taking the write lock first makes it wait.
    func write<T>(
        _ operation: @autoclosure () -> String,
        _ body: (Database) throws -> T
    ) throws(StoreError) -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var value: T?
                try db.inTransaction(.immediate) {
                    value = try body(db)
                    return .commit
                }
                guard let value else { throw StoreRefusal(message: "the transaction returned nothing") }
                return value
            }
        } catch {
            throw StoreError(operation: operation(), path: path, error: error)
        }
    }

    /// Runs `body` in a read transaction and maps any failure to a `StoreError`.
    func read<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw StoreError(operation: operation(), path: path, error: error)
        }
    }

    /// The value of a connection setting, for tests: `PRAGMA name`.
    func pragma(_ name: String) throws(StoreError) -> String? {
        try read("read PRAGMA \(name)") { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }
}
