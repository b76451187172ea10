internal import GRDB
public import ReconcilerCore

extension StateStore {
    /// Notes the repository a run works from (its URL with any password already hidden).
    public func recordRepository(_ repository: RunRepository, run: Int64) throws {
        try write("record the repository of run \(run)") { db in
            try db.execute(
                sql: "UPDATE run SET repository = ?, reference = ? WHERE id = ?",
                arguments: [repository.url, repository.reference, run])
            guard db.changesCount == 1 else { throw StoreRefusal(message: "there is no run \(run)") }
        }
    }

    /// The repository of the newest run that noted one.
    public func lastRunRepository() throws -> RunRepository? {
        try read("read the repository of the last run") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT repository, reference FROM run
                        WHERE repository IS NOT NULL AND reference IS NOT NULL ORDER BY id DESC LIMIT 1
                        """)
            else { return nil }
            return RunRepository(
                url: try row.decode(forColumn: "repository"), reference: try row.decode(forColumn: "reference"))
        }
    }
}
