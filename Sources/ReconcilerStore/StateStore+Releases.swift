internal import Foundation
internal import GRDB
public import ReconcilerCore

/// Releases (what one commit gave the host, and how it went) and the quarantine of commits
/// that failed after changing the host.
extension StateStore {
    public func beginRelease(_ release: ReleaseStart) throws -> Int64 {
        try write("begin the release of \(release.commit)") { db in
            let at = now()
            try db.execute(
                sql: """
                    INSERT INTO release
                        (commitID, runID, state, gatingServices, images, addedUnits, startedAt, updatedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    release.commit, release.run, ReleaseState.applying.rawValue,
                    Self.list(release.gatingServices), Self.list(release.images), Self.list(release.addedUnits), at,
                    at,
                ]
            )
            return db.lastInsertedRowID
        }
    }

    public func markRelease(_ id: Int64, state: ReleaseState, message: String?) throws {
        try write("mark release \(id) as \(state.rawValue)") { db in
            try db.execute(
                sql: "UPDATE release SET state = ?, message = coalesce(?, message), updatedAt = ? WHERE id = ?",
                arguments: [state.rawValue, message, now(), id]
            )
            guard db.changesCount == 1 else { throw StoreRefusal(message: "there is no release \(id)") }
        }
    }

    public func releases(limit: Int) throws -> [ReleaseRecord] {
        try read("read the releases") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM release ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(RowDecoding.release)
        }
    }

    public func quarantine(_ commit: String, reason: String?) throws {
        try write("quarantine \(commit)") { db in
            try db.execute(
                sql: """
                    INSERT INTO quarantine (commitID, reason, at) VALUES (?, ?, ?)
                    ON CONFLICT (commitID) DO UPDATE SET reason = excluded.reason, at = excluded.at
                    """,
                arguments: [commit, reason, now()]
            )
        }
    }

    public func releaseQuarantine(_ commit: String?) throws -> [String] {
        try write("release \(commit ?? "every commit") from the quarantine") { db in
            let commits =
                if let commit {
                    try String.fetchAll(
                        db, sql: "SELECT commitID FROM quarantine WHERE commitID = ?", arguments: [commit])
                } else {
                    try String.fetchAll(db, sql: "SELECT commitID FROM quarantine")
                }
            if let commit {
                try db.execute(sql: "DELETE FROM quarantine WHERE commitID = ?", arguments: [commit])
            } else {
                try db.execute(sql: "DELETE FROM quarantine")
            }
            return commits.sorted()
        }
    }

    public func allImages() throws -> [ImageRecord] {
        try read("read the images") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ownedImage ORDER BY createdAt DESC, rowid DESC")
                .map(RowDecoding.image)
        }
    }

    public func pruneHistory(keeping: Int) throws -> Int {
        try write("prune the run history") { db in
            // Unfinished runs stay: the next run must see what they intended.
            try db.execute(
                sql: """
                    DELETE FROM run WHERE endedAt IS NOT NULL AND id NOT IN
                        (SELECT id FROM run ORDER BY id DESC LIMIT ?)
                    """,
                arguments: [keeping]
            )
            let runs = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM release WHERE state NOT IN ('applying', 'verifying') AND id NOT IN
                        (SELECT id FROM release ORDER BY id DESC LIMIT ?)
                    """,
                arguments: [keeping]
            )
            return runs
        }
    }

    static func quarantined(_ db: Database) throws -> [QuarantinedCommit] {
        try Row.fetchAll(db, sql: "SELECT * FROM quarantine ORDER BY at DESC, rowid DESC").map { row in
            QuarantinedCommit(
                commit: try row.decode(forColumn: "commitID"), reason: try row.decode(forColumn: "reason"),
                at: try row.decode(forColumn: "at"))
        }
    }

    static func list(_ values: [String]) -> String { values.joined(separator: "\n") }
}
