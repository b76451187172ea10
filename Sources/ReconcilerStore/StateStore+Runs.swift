internal import GRDB
public import ReconcilerCore

extension StateStore {
    /// Opens the record of a run and returns its id.
    public func beginRun(trigger: String, commit: String?) throws -> Int64 {
        try write("begin a \(trigger) run") { db in
            try db.execute(
                sql: "INSERT INTO run (trigger, commitID, startedAt) VALUES (?, ?, ?)",
                arguments: [trigger, commit, now()]
            )
            return db.lastInsertedRowID
        }
    }

    /// Records every step the run means to take, in order, before it takes any: after a
    /// crash the next run sees the whole intent, not only the steps that were reached.
    ///
    /// Steps recorded by an earlier call (a rollback appends its own) keep their places;
    /// the new ones follow them.
    /// - Returns: The ids of the new action records, in the order of `actions`.
    public func recordIntent(run: Int64, actions: [PlannedAction]) throws -> [Int64] {
        try write("record the intended actions of run \(run)") { db in
            try Self.requireOpenRun(run, db)
            let first =
                try Int.fetchOne(
                    db,
                    sql: "SELECT coalesce(max(position) + 1, 0) FROM runAction WHERE runID = ?",
                    arguments: [run]
                ) ?? 0
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO runAction (runID, position, kind, target, service, reason, state)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """
            )
            var ids: [Int64] = []
            for (offset, action) in actions.enumerated() {
                try insert.execute(arguments: [
                    run, first + offset, action.kind.rawValue, action.target, action.service, action.reason,
                    ActionState.intended.rawValue,
                ])
                ids.append(db.lastInsertedRowID)
            }
            return ids
        }
    }

    /// Records where a step got to. `.started` stamps its start; a final state stamps its
    /// end. A step that ended, or whose run ended, cannot change any more.
    public func markAction(_ id: Int64, state: ActionState, message: String?) throws {
        try write("mark action \(id) as \(state.rawValue)") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM runAction WHERE id = ?",
                    arguments: [id]
                )
            else { throw StoreRefusal(message: "there is no action \(id)") }
            try Self.requireOpenRun(try row.decode(forColumn: "runID"), db)
            let current = try RowDecoding.action(row).state
            guard Self.allows(from: current, to: state) else {
                throw StoreRefusal(message: "the action is already \(current.rawValue)")
            }
            let time = now()
            try db.execute(
                sql: """
                    UPDATE runAction SET state = ?, message = ?,
                        startedAt = CASE WHEN ? THEN coalesce(startedAt, ?) ELSE startedAt END,
                        endedAt = CASE WHEN ? THEN ? ELSE endedAt END
                    WHERE id = ?
                    """,
                arguments: [state.rawValue, message, state != .skipped, time, state.isFinal, time, id]
            )
        }
    }

    /// Closes the record of a run with its result.
    public func finishRun(_ id: Int64, result: RunResult, message: String?) throws {
        try write("finish run \(id) as \(result.rawValue)") { db in
            try Self.requireOpenRun(id, db)
            try db.execute(
                sql: "UPDATE run SET endedAt = ?, result = ?, message = ? WHERE id = ?",
                arguments: [now(), result.rawValue, message, id]
            )
        }
    }

    /// Runs whose record was never closed (the process died mid-run), oldest first, each
    /// with its actions and how far they got.
    public func unfinishedRuns() throws -> [RunRecord] {
        try read("read the unfinished runs") { db in
            try Self.runs(db, sql: "SELECT * FROM run WHERE endedAt IS NULL ORDER BY id")
        }
    }

    /// Closes every unfinished run as `abandoned` with `message`. Their actions keep the
    /// states they had, so history shows which step was in flight.
    /// - Returns: The runs it closed, as they are now.
    @discardableResult
    public func abandonUnfinishedRuns(message: String) throws -> [RunRecord] {
        try write("abandon the unfinished runs") { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM run WHERE endedAt IS NULL ORDER BY id")
            try db.execute(
                sql: "UPDATE run SET endedAt = ?, result = ?, message = ? WHERE endedAt IS NULL",
                arguments: [now(), RunResult.abandoned.rawValue, message]
            )
            return try Self.runs(db, sql: "SELECT * FROM run WHERE id IN (\(Self.list(ids))) ORDER BY id")
        }
    }

    /// The newest `limit` runs, newest first, each with its actions in order.
    public func history(limit: Int) throws -> [RunRecord] {
        try read("read the run history") { db in
            try Self.runs(db, sql: "SELECT * FROM run ORDER BY id DESC LIMIT ?", arguments: [max(limit, 0)])
        }
    }

    /// One run with its actions, or nil when there is no such run.
    public func run(_ id: Int64) throws(StoreError) -> RunRecord? {
        try read("read run \(id)") { db in
            try Self.runs(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).first
        }
    }

    /// Deletes finished runs (and their actions) beyond the newest `count`, so the daemon's
    /// history stays bounded. Unfinished runs are kept whatever their age.
    /// - Returns: How many runs it deleted.
    @discardableResult
    public func pruneHistory(keepingLast count: Int) throws(StoreError) -> Int {
        try write("prune the run history") { db in
            try db.execute(
                sql: """
                    DELETE FROM run WHERE endedAt IS NOT NULL
                    AND id NOT IN (SELECT id FROM run ORDER BY id DESC LIMIT ?)
                    """,
                arguments: [max(count, 0)]
            )
            return db.changesCount
        }
    }
}

extension StateStore {
    /// intended -> started -> succeeded | failed, or intended -> any final state.
    fileprivate static func allows(from current: ActionState, to next: ActionState) -> Bool {
        switch (current, next) {
        case (.intended, .intended): false
        case (.intended, _): true
        case (.started, .succeeded), (.started, .failed): true
        default: false
        }
    }

    fileprivate static func requireOpenRun(_ id: Int64, _ db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT result FROM run WHERE id = ?", arguments: [id]) else {
            throw StoreRefusal(message: "there is no run \(id)")
        }
        if let result: String = try row.decode(forColumn: "result") {
            throw StoreRefusal(message: "run \(id) already ended (\(result))")
        }
    }

    fileprivate static func list(_ ids: [Int64]) -> String {
        ids.map(String.init).joined(separator: ",")
    }

    /// Fetches runs and their actions with two queries, whatever the number of runs.
    fileprivate static func runs(
        _ db: Database,
        sql: String,
        arguments: StatementArguments = StatementArguments()
    ) throws -> [RunRecord] {
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = try rows.map { try $0.decode(forColumn: "id") }
        let actions = try Row.fetchAll(
            db,
            sql: "SELECT * FROM runAction WHERE runID IN (\(list(ids))) ORDER BY runID, position"
        )
        let byRun = Dictionary(grouping: try actions.map(RowDecoding.action), by: \.runID)
        return try zip(rows, ids).map { row, id in try RowDecoding.run(row, actions: byRun[id] ?? []) }
    }
}
