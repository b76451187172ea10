internal import Foundation
internal import GRDB
import ReconcilerCore

/// Turns rows into the public records by hand, so that the records need not conform to
/// GRDB's protocols and callers never depend on GRDB.
///
/// Every read goes through `decode`, which throws on a NULL or malformed value where
/// GRDB's subscripts would stop the process.
enum RowDecoding {
    static func run(_ row: Row, actions: [ActionRecord]) throws -> RunRecord {
        let result: String? = try row.decode(forColumn: "result")
        return RunRecord(
            id: try row.decode(forColumn: "id"),
            trigger: try row.decode(forColumn: "trigger"),
            commit: try row.decode(forColumn: "commitID"),
            startedAt: try row.decode(forColumn: "startedAt"),
            endedAt: try row.decode(forColumn: "endedAt"),
            result: try result.map { try known(RunResult(rawValue: $0), $0, "run result") },
            message: try row.decode(forColumn: "message"),
            actions: actions
        )
    }

    static func action(_ row: Row) throws -> ActionRecord {
        let state: String = try row.decode(forColumn: "state")
        return ActionRecord(
            id: try row.decode(forColumn: "id"),
            runID: try row.decode(forColumn: "runID"),
            position: try row.decode(forColumn: "position"),
            kind: try row.decode(forColumn: "kind"),
            target: try row.decode(forColumn: "target"),
            service: try row.decode(forColumn: "service"),
            reason: try row.decode(forColumn: "reason"),
            state: try known(ActionState(rawValue: state), state, "action state"),
            message: try row.decode(forColumn: "message"),
            startedAt: try row.decode(forColumn: "startedAt"),
            endedAt: try row.decode(forColumn: "endedAt")
        )
    }

    static func unit(_ row: Row) throws -> UnitRecord {
        UnitRecord(
            name: try row.decode(forColumn: "name"),
            commit: try row.decode(forColumn: "commitID"),
            writtenAt: try row.decode(forColumn: "writtenAt")
        )
    }

    static func image(_ row: Row) throws -> ImageRecord {
        ImageRecord(
            reference: try row.decode(forColumn: "reference"),
            service: try row.decode(forColumn: "service"),
            commit: try row.decode(forColumn: "commitID"),
            createdAt: try row.decode(forColumn: "createdAt")
        )
    }

    static func release(_ row: Row) throws -> ReleaseRecord {
        let state: String = try row.decode(forColumn: "state")
        func list(_ column: String) throws -> [String] {
            let text: String = try row.decode(forColumn: column)
            return text.split(separator: "\n").map(String.init)
        }
        return ReleaseRecord(
            id: try row.decode(forColumn: "id"),
            commit: try row.decode(forColumn: "commitID"),
            run: try row.decode(forColumn: "runID"),
            state: try known(ReleaseState(rawValue: state), state, "release state"),
            gatingServices: try list("gatingServices"),
            images: try list("images"),
            addedUnits: try list("addedUnits"),
            startedAt: try row.decode(forColumn: "startedAt"),
            updatedAt: try row.decode(forColumn: "updatedAt"),
            message: try row.decode(forColumn: "message")
        )
    }

    /// A stored enum value this version does not know: say which, rather than guess.
    private static func known<Value>(_ value: Value?, _ raw: String, _ what: String) throws -> Value {
        guard let value else { throw StoreRefusal(message: "unknown \(what) '\(raw)' (written by a newer version?)") }
        return value
    }
}
