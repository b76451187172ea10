internal import GRDB

/// A failed state store operation: what the store tried, on which database file, and why.
///
/// Its description is one line an operator can act on, e.g.
/// "record the intended actions of run 12 in /var/lib/reconciler/state.sqlite: database is locked".
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the store was doing, in words: "begin a run", "mark action 4 as succeeded".
    public var operation: String
    /// The database file.
    public var path: String
    /// SQLite's message, or the store's own reason when the request itself was wrong.
    public var message: String
    /// SQLite's extended result code, when SQLite reported the failure.
    public var sqliteCode: Int32?

    public init(operation: String, path: String, message: String, sqliteCode: Int32? = nil) {
        self.operation = operation
        self.path = path
        self.message = message
        self.sqliteCode = sqliteCode
    }

    public var description: String {
        guard isDiskFull else { return "\(operation) in \(path): \(message)" }
        // SQLite rolled the transaction back, so the file is whole; nothing works until
        // someone frees space, so say that rather than only SQLite's words.
        return "no space left on device writing \(path): cannot \(operation) (SQLite: \(message)); "
            + "free space on that file system and run again"
    }

    /// SQLITE_FULL: the file system holding the database (or its WAL) is full.
    public var isDiskFull: Bool { sqliteCode.map { $0 & 0xFF == 13 } ?? false }

    /// True when another process held the database for longer than the busy timeout:
    /// worth retrying later, unlike a corrupt file or a full disk.
    public var isBusy: Bool {
        guard let sqliteCode else { return false }
        let primary = sqliteCode & 0xFF
        return primary == 5 || primary == 6  // SQLITE_BUSY, SQLITE_LOCKED
    }
}

/// A request the store refuses on its own (unknown run, finished run, bad state change),
/// thrown inside a transaction so that the transaction rolls back.
struct StoreRefusal: Error {
    var message: String
}

extension StoreError {
    /// Wraps any error thrown while the store worked on the database.
    init(operation: String, path: String, error: any Error) {
        switch error {
        case let error as StoreError:
            self = error
        case let refusal as StoreRefusal:
            self.init(operation: operation, path: path, message: refusal.message)
        case let error as DatabaseError:
            // Only SQLite's own message: GRDB's description adds the SQL, which means
            // nothing to an operator reading `reconciler status`.
            self.init(
                operation: operation,
                path: path,
                message: error.message ?? "SQLite error \(error.extendedResultCode.rawValue)",
                sqliteCode: error.extendedResultCode.rawValue
            )
        default:
            self.init(operation: operation, path: path, message: String(describing: error))
        }
    }
}
