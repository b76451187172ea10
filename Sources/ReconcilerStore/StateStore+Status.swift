internal import Foundation
internal import GRDB
public import ReconcilerCore

/// The few facts `reconciler status` shows and the daemon decides with: which commit is
/// applied, which was last healthy, the last error, whether the host is degraded.
extension StateStore {
    private enum Key: String {
        case lastApplied, lastHealthy, lastError, degraded, unhealthy, suspended
    }

    /// Notes that `commit` is applied on the host.
    public func setLastApplied(_ commit: String) throws {
        try set(.lastApplied, commit: commit, message: nil)
    }

    /// Notes that every service passed its health check at `commit`: a rollback target.
    public func setLastHealthy(_ commit: String) throws {
        try set(.lastHealthy, commit: commit, message: nil)
    }

    /// Notes the latest failure, replacing the previous one.
    public func setLastError(_ message: String, commit: String? = nil) throws {
        try set(.lastError, commit: commit, message: message)
    }

    public func clearLastError() throws {
        try clear(.lastError)
    }

    /// Suspends the host (the agent observes but changes nothing), or resumes it (nil).
    public func setSuspended(_ reason: String?) throws {
        if let reason { try set(.suspended, commit: nil, message: reason) } else { try clear(.suspended) }
    }

    /// Marks the host degraded, or clears the mark (nil).
    public func setDegraded(_ message: String?, commit: String?) throws {
        if let message { try set(.degraded, commit: commit, message: message) } else { try clear(.degraded) }
    }

    /// Notes the services a poll found unhealthy, or clears the note (nil).
    public func setUnhealthy(_ message: String?, commit: String?) throws {
        if let message { try set(.unhealthy, commit: commit, message: message) } else { try clear(.unhealthy) }
    }

    /// Everything above, each with the time it was noted.
    public func summary() throws -> StoreSummary {
        try read("read the status") { db in
            var summary = StoreSummary()
            for row in try Row.fetchAll(db, sql: "SELECT * FROM statusMark") {
                let key: String = try row.decode(forColumn: "key")
                let commit: String? = try row.decode(forColumn: "commitID")
                let message: String? = try row.decode(forColumn: "message")
                let at: Date = try row.decode(forColumn: "at")
                switch Key(rawValue: key) {
                case .lastApplied: summary.lastApplied = commit.map { CommitMark(commit: $0, at: at) }
                case .lastHealthy: summary.lastHealthy = commit.map { CommitMark(commit: $0, at: at) }
                case .lastError: summary.lastError = message.map { ErrorMark(message: $0, commit: commit, at: at) }
                case .suspended: summary.suspended = message.map { ErrorMark(message: $0, commit: nil, at: at) }
                case .degraded: summary.degraded = message.map { ErrorMark(message: $0, commit: commit, at: at) }
                case .unhealthy: summary.unhealthy = message.map { ErrorMark(message: $0, commit: commit, at: at) }
                case nil: break  // a key from a newer version: not ours to show
                }
            }
            summary.quarantined = try Self.quarantined(db)
            summary.release = try Row.fetchOne(db, sql: "SELECT * FROM release ORDER BY id DESC LIMIT 1")
                .map(RowDecoding.release)
            return summary
        }
    }

    private func set(_ key: Key, commit: String?, message: String?) throws(StoreError) {
        try write("set \(key.rawValue)") { db in
            try db.execute(
                sql: """
                    INSERT INTO statusMark (key, commitID, message, at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET
                        commitID = excluded.commitID, message = excluded.message, at = excluded.at
                    """,
                arguments: [key.rawValue, commit, message, now()]
            )
        }
    }

    private func clear(_ key: Key) throws(StoreError) {
        try write("clear \(key.rawValue)") { db in
            try db.execute(sql: "DELETE FROM statusMark WHERE key = ?", arguments: [key.rawValue])
        }
    }
}
