internal import GRDB
public import ReconcilerCore

/// What the reconciler owns: the only units and images it may ever stop, disable or delete.
extension StateStore {
    /// The owned units and images, as the planner takes them.
    public func inventory() throws -> Inventory {
        try read("read the inventory") { db in
            Inventory(
                units: Set(try String.fetchAll(db, sql: "SELECT name FROM ownedUnit")),
                images: Set(try String.fetchAll(db, sql: "SELECT reference FROM ownedImage"))
            )
        }
    }

    /// The owned units by name, with the commit each was last written from.
    public func units() throws -> [UnitRecord] {
        try read("read the owned units") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ownedUnit ORDER BY name").map(RowDecoding.unit)
        }
    }

    /// Notes that the reconciler wrote unit file `name` from `commit`. Call it right after
    /// the file lands, so that a crash right after still leaves the unit owned.
    public func recordUnitWritten(_ name: String, commit: String) throws {
        try write("record unit \(name) as written") { db in
            try db.execute(
                sql: """
                    INSERT INTO ownedUnit (name, commitID, writtenAt) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET commitID = excluded.commitID, writtenAt = excluded.writtenAt
                    """,
                arguments: [name, commit, now()]
            )
        }
    }

    /// Forgets unit `name` once its file is really gone; a failed delete must not call it,
    /// so the next run retries. Forgetting a unit that is not owned does nothing.
    public func recordUnitRemoved(_ name: String) throws {
        try write("record unit \(name) as removed") { db in
            try db.execute(sql: "DELETE FROM ownedUnit WHERE name = ?", arguments: [name])
        }
    }

    /// Notes an image built or pulled for `service`; recording it again makes it the newest.
    public func recordImage(_ reference: String, service: String, commit: String) throws {
        try write("record image \(reference)") { db in
            try db.execute(
                sql: """
                    INSERT INTO ownedImage (reference, service, commitID, createdAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT (reference) DO UPDATE SET
                        service = excluded.service, commitID = excluded.commitID, createdAt = excluded.createdAt
                    """,
                arguments: [reference, service, commit, now()]
            )
        }
    }

    /// Forgets an image once it is removed from the host. Does nothing if it is not owned.
    public func forgetImage(_ reference: String) throws {
        try write("forget image \(reference)") { db in
            try db.execute(sql: "DELETE FROM ownedImage WHERE reference = ?", arguments: [reference])
        }
    }

    /// The images of `service`, newest first: the first is current, the next is what a
    /// rollback goes back to, the rest may be pruned.
    public func images(of service: String) throws -> [ImageRecord] {
        try read("read the images of \(service)") { db in
            // rowid breaks ties between images recorded within the same millisecond.
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM ownedImage WHERE service = ? ORDER BY createdAt DESC, rowid DESC",
                arguments: [service]
            ).map(RowDecoding.image)
        }
    }
}
