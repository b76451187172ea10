internal import GRDB

/// The state store's schema, one named migration per version.
///
/// A shipped migration is frozen: a change to the schema is a new migration ("v2", ...),
/// never an edit of an old one, because hosts already ran it. Migrations use literal
/// table names and SQL, not the record types, so that a later change to a record cannot
/// change what an old migration does.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // Never erase: this file is the record of what the reconciler owns on the host.
        // Losing it would orphan every unit it wrote.
        migrator.eraseDatabaseOnSchemaChange = false
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3-run-repository", migrate: v3RunRepository)
        migrator.registerMigration("v4-notification-outbox", migrate: v4NotificationOutbox)
        return migrator
    }

    private static func v1(_ db: Database) throws {
        // One row per run. A run whose endedAt is NULL never finished: the process died
        // mid-run, and the next run must see what it intended. Kinds, states and results
        // carry no CHECK: SQLite cannot alter one, and a later version may add values; the
        // Swift enums decide what is written.
        try db.execute(
            sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    trigger TEXT NOT NULL,
                    commitID TEXT,
                    startedAt DATETIME NOT NULL,
                    endedAt DATETIME,
                    result TEXT,
                    message TEXT,
                    CHECK ((endedAt IS NULL) = (result IS NULL))
                );
                CREATE INDEX run_unfinished ON run(id) WHERE endedAt IS NULL;

                CREATE TABLE runAction (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    runID INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    target TEXT NOT NULL,
                    service TEXT,
                    reason TEXT NOT NULL,
                    state TEXT NOT NULL,
                    message TEXT,
                    startedAt DATETIME,
                    endedAt DATETIME,
                    UNIQUE (runID, position)
                );

                CREATE TABLE ownedUnit (
                    name TEXT PRIMARY KEY NOT NULL,
                    commitID TEXT NOT NULL,
                    writtenAt DATETIME NOT NULL
                );

                CREATE TABLE ownedImage (
                    reference TEXT PRIMARY KEY NOT NULL,
                    service TEXT NOT NULL,
                    commitID TEXT NOT NULL,
                    createdAt DATETIME NOT NULL
                );
                CREATE INDEX ownedImage_service ON ownedImage(service, createdAt);

                CREATE TABLE statusMark (
                    key TEXT PRIMARY KEY NOT NULL,
                    commitID TEXT,
                    message TEXT,
                    at DATETIME NOT NULL
                );
                """
        )
    }

    /// Releases and the quarantine. The one bad commit v1 remembered becomes the first
    /// quarantined commit. Lists (services, images, units) are newline-separated: none of
    /// their names may hold a newline.
    private static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE release (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    commitID TEXT NOT NULL,
                    runID INTEGER REFERENCES run(id) ON DELETE SET NULL,
                    state TEXT NOT NULL,
                    gatingServices TEXT NOT NULL,
                    images TEXT NOT NULL,
                    addedUnits TEXT NOT NULL,
                    startedAt DATETIME NOT NULL,
                    updatedAt DATETIME NOT NULL,
                    message TEXT
                );
                CREATE INDEX release_state ON release(state, id);

                CREATE TABLE quarantine (
                    commitID TEXT PRIMARY KEY NOT NULL,
                    reason TEXT,
                    at DATETIME NOT NULL
                );
                INSERT INTO quarantine (commitID, reason, at)
                    SELECT commitID, message, at FROM statusMark WHERE key = 'badCommit' AND commitID IS NOT NULL;
                DELETE FROM statusMark WHERE key = 'badCommit';
                """
        )
    }

    /// The repository each run worked from, so `status` can show it when it came from
    /// `--repo`. NULL for runs recorded before this version. The URL has its password hidden.
    private static func v3RunRepository(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE run ADD COLUMN repository TEXT;
                ALTER TABLE run ADD COLUMN reference TEXT;
                """
        )
    }

    /// The webhook outbox: an event is kept until a receiver answered 2xx (or it was given
    /// up), so it survives a receiver outage and an agent restart. `webhook` is a hash of
    /// the URL, never the URL: it may hold a token. `notificationState` remembers whether
    /// the host was in trouble, to tell a recovery.
    private static func v4NotificationOutbox(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE notificationOutbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    eventID TEXT NOT NULL,
                    webhook TEXT NOT NULL,
                    event TEXT NOT NULL,
                    body BLOB NOT NULL,
                    createdAt DATETIME NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    nextAttemptAt DATETIME NOT NULL,
                    deliveredAt DATETIME,
                    gaveUpAt DATETIME,
                    lastError TEXT,
                    UNIQUE (eventID, webhook)
                );
                CREATE INDEX notificationOutbox_pending ON notificationOutbox(nextAttemptAt)
                    WHERE deliveredAt IS NULL AND gaveUpAt IS NULL;

                CREATE TABLE notificationState (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                """
        )
    }
}
