public import Foundation
internal import GRDB
internal import ReconcilerCore

/// A webhook notification waiting in the outbox.
public struct PendingNotification: Sendable, Equatable {
    public var id: Int64
    public var eventID: String
    /// The hash of the webhook's URL (`StateStore.webhookKey`).
    public var webhook: String
    public var event: String
    public var body: [UInt8]
    public var attempts: Int
    public var createdAt: Date
}

/// The webhook outbox: events are added in the run's process and delivered by whoever
/// comes next (the same process, the agent's background delivery, the next `once`).
extension StateStore {
    /// The outbox's name for a webhook: a hash, so the URL and any token in it stay out of the store.
    public static func webhookKey(_ url: String) -> String { ContentHash.hex("webhook\n" + url) }

    /// Adds one event for each webhook key, due at once. Delivered and given-up events older
    /// than a week are deleted.
    public func enqueueNotification(eventID: String, event: String, body: [UInt8], webhooks: [String]) throws {
        let at = now()
        try write("add a notification") { db in
            for webhook in webhooks {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO notificationOutbox (eventID, webhook, event, body, createdAt, nextAttemptAt)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [eventID, webhook, event, Data(body), at, at])
            }
            try db.execute(
                sql: """
                    DELETE FROM notificationOutbox
                    WHERE (deliveredAt IS NOT NULL OR gaveUpAt IS NOT NULL) AND createdAt < ?
                    """,
                arguments: [at.addingTimeInterval(-7 * 86400)])
        }
    }

    /// Events not yet delivered nor given up whose next attempt is due by `date`, oldest first.
    public func dueNotifications(by date: Date) throws -> [PendingNotification] {
        try read("read the notification outbox") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM notificationOutbox
                    WHERE deliveredAt IS NULL AND gaveUpAt IS NULL AND nextAttemptAt <= ?
                    ORDER BY id
                    """,
                arguments: [date]
            ).map { row in
                PendingNotification(
                    id: row["id"], eventID: row["eventID"], webhook: row["webhook"], event: row["event"],
                    body: Array((row["body"] as Data?) ?? Data()), attempts: row["attempts"],
                    createdAt: row["createdAt"])
            }
        }
    }

    /// When the earliest pending event is due next; nil when none is pending.
    public func nextNotificationAttempt() throws -> Date? {
        try read("read the notification outbox") { db in
            try Date.fetchOne(
                db,
                sql: "SELECT min(nextAttemptAt) FROM notificationOutbox WHERE deliveredAt IS NULL AND gaveUpAt IS NULL")
        }
    }

    /// Takes event `id` for one delivery attempt, until `until`: true when this caller got it.
    /// A `once` and the agent may both find the same event due; the one whose update moves its
    /// next attempt wins, so the event is posted once.
    public func claimNotification(_ id: Int64, until: Date) throws -> Bool {
        try write("claim a notification") { db in
            try db.execute(
                sql: """
                    UPDATE notificationOutbox SET nextAttemptAt = ?
                    WHERE id = ? AND nextAttemptAt <= ? AND deliveredAt IS NULL AND gaveUpAt IS NULL
                    """,
                arguments: [until, id, now()])
            return db.changesCount == 1
        }
    }

    /// The receiver answered 2xx: never sent again.
    public func markNotificationDelivered(_ id: Int64) throws {
        try write("mark a notification delivered") { db in
            try db.execute(
                sql:
                    "UPDATE notificationOutbox SET deliveredAt = ?, attempts = attempts + 1, lastError = NULL WHERE id = ?",
                arguments: [now(), id])
        }
    }

    /// An attempt failed: try again at `next`, or never (nil: given up).
    public func markNotificationFailed(_ id: Int64, error: String, next: Date?) throws {
        try write("mark a notification failed") { db in
            if let next {
                try db.execute(
                    sql:
                        "UPDATE notificationOutbox SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE id = ?",
                    arguments: [error, next, id])
            } else {
                try db.execute(
                    sql:
                        "UPDATE notificationOutbox SET attempts = attempts + 1, lastError = ?, gaveUpAt = ? WHERE id = ?",
                    arguments: [error, now(), id])
            }
        }
    }

    /// Events delivered so far, by event id: for tests and for `status`.
    public func deliveredNotifications() throws -> [String] {
        try read("read the notification outbox") { db in
            try String.fetchAll(
                db, sql: "SELECT eventID FROM notificationOutbox WHERE deliveredAt IS NOT NULL ORDER BY id")
        }
    }

    /// A value the notifier keeps between runs (whether the host is in trouble).
    public func notificationState(_ key: String) throws -> String? {
        try read("read the notification state") { db in
            try String.fetchOne(db, sql: "SELECT value FROM notificationState WHERE key = ?", arguments: [key])
        }
    }

    public func setNotificationState(_ key: String, _ value: String) throws {
        try write("record the notification state") { db in
            try db.execute(
                sql: """
                    INSERT INTO notificationState (key, value) VALUES (?, ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """,
                arguments: [key, value])
        }
    }
}
