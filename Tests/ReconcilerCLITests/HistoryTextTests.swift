import Foundation
import ReconcilerCore
import ReconcilerStore
import Testing

@testable import ReconcilerCLI

/// `reconciler history` in text: one aligned line per run, newest first as the store gives
/// them, and the run's actions under it with the message of any that failed.
struct HistoryTextTests {
    /// 2024-05-01T10:00:00Z.
    static let morning = Date(timeIntervalSince1970: 1_714_557_600)

    static func action(
        _ position: Int, _ kind: String, _ target: String, _ state: ActionState, reason: String,
        message: String? = nil, run: Int64
    ) -> ActionRecord {
        ActionRecord(
            id: Int64(position + 1), runID: run, position: position, kind: kind, target: target, service: nil,
            reason: reason, state: state, message: message, startedAt: nil, endedAt: nil)
    }

    static let failedRun = RunRecord(
        id: 12, trigger: "once", commit: "fedcba9876543210fedcba9876543210fedcba98",
        startedAt: morning.addingTimeInterval(3600), endedAt: morning.addingTimeInterval(3600 + 75), result: .failed,
        message: "health check of api failed\nsecond line",
        actions: [
            action(0, "write-unit", "api.service", .succeeded, reason: "not on the host", run: 12),
            action(
                1, "start", "api.service", .failed, reason: "desired active",
                message: "api.service did not become active:\nexit code 1", run: 12),
        ])

    static let firstRun = RunRecord(
        id: 9, trigger: "run", commit: "0123456789abcdef0123456789abcdef01234567", startedAt: morning,
        endedAt: morning.addingTimeInterval(4.2), result: .succeeded, message: nil,
        actions: [
            action(0, "pull-image", "docker.io/library/python:3.11-slim", .succeeded, reason: "not present", run: 9)
        ])

    @Test func runsAreAlignedAndEachActionIsListedUnderItsRun() {
        #expect(
            HistoryText.render([Self.failedRun, Self.firstRun]) == """
                #12  once  fedcba987654  2024-05-01T11:00:00Z  1 min 15 s  failed     health check of api failed
                    write-unit  api.service  succeeded  not on the host
                    start       api.service  failed     desired active
                      error: api.service did not become active:
                             exit code 1
                #9   run   0123456789ab  2024-05-01T10:00:00Z  4.2 s       succeeded
                    pull-image  docker.io/library/python:3.11-slim  succeeded  not present
                """)
    }

    @Test func aRunStillOpenShowsNoDurationAndNoResult() {
        let open = RunRecord(
            id: 3, trigger: "once", commit: nil, startedAt: Self.morning, endedAt: nil, result: nil, message: nil,
            actions: [])
        #expect(HistoryText.render([open]) == "#3  once  -  2024-05-01T10:00:00Z  -  unfinished")
    }

    @Test func aHostWithoutRunsSaysSo() {
        #expect(HistoryText.render([]) == "no runs recorded yet")
    }

    @Test func durationsReadAsSecondsMinutesOrHours() {
        #expect(TextColumns.duration(0.04) == "0.0 s")
        #expect(TextColumns.duration(59.94) == "59.9 s")
        #expect(TextColumns.duration(125) == "2 min 05 s")
        #expect(TextColumns.duration(3720) == "1 h 02 min")
    }

    @Test func jsonIsTheStoredRecordsWithISO8601Times() throws {
        let json = try JSONOutput.encode([Self.firstRun])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(runs.first?["id"] as? Int == 9)
        #expect(runs.first?["startedAt"] as? String == "2024-05-01T10:00:00Z")
        #expect((runs.first?["actions"] as? [[String: Any]])?.first?["kind"] as? String == "pull-image")
    }
}
