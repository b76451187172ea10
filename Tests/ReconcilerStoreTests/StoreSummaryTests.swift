import Foundation
import ReconcilerCore
import ReconcilerStore
import Testing

/// The commits and error `reconciler status` shows, each with when it was noted.
struct StoreSummaryTests {
    let directory: TemporaryDirectory
    let clock = SteppingClock()
    let store: StateStore

    init() throws {
        directory = try TemporaryDirectory()
        store = try StateStore(stateDirectory: directory.stateDirectory, now: clock.now)
    }

    func at(_ seconds: Double) -> Date { SteppingClock.start.addingTimeInterval(seconds) }

    @Test func aNewStoreHasNothingToReport() throws {
        #expect(try store.summary() == StoreSummary())
    }

    @Test func theSummaryHoldsTheLatestOfEachWithItsTime() throws {
        try store.setLastApplied("c1")
        try store.setLastHealthy("c1")
        try store.setLastApplied("c2")
        try store.setLastError("blog.service failed its health check", commit: "c2")
        try store.quarantine("c2", reason: "health check failed")
        try store.setDegraded("c1 is not healthy either", commit: "c1")
        try store.setUnhealthy("blog: connection refused", commit: "c1")

        #expect(
            try store.summary()
                == StoreSummary(
                    lastApplied: CommitMark(commit: "c2", at: at(2)),
                    lastHealthy: CommitMark(commit: "c1", at: at(1)),
                    lastError: ErrorMark(message: "blog.service failed its health check", commit: "c2", at: at(3)),
                    quarantined: [QuarantinedCommit(commit: "c2", reason: "health check failed", at: at(4))],
                    degraded: ErrorMark(message: "c1 is not healthy either", commit: "c1", at: at(5)),
                    unhealthy: ErrorMark(message: "blog: connection refused", commit: "c1", at: at(6))
                )
        )
    }

    @Test func clearingTheErrorTheQuarantineAndTheHealthMarksLeavesTheCommits() throws {
        try store.setLastApplied("c1")
        try store.setLastError("fetch timed out")
        try store.quarantine("c0", reason: nil)
        try store.setDegraded("down", commit: nil)
        try store.setUnhealthy("blog: down", commit: nil)
        try store.setSuspended("incident")
        #expect(try store.summary().suspended?.message == "incident")

        try store.clearLastError()
        try store.setSuspended(nil)
        #expect(try store.releaseQuarantine(nil) == ["c0"])
        try store.setDegraded(nil, commit: nil)
        try store.setUnhealthy(nil, commit: nil)

        #expect(try store.summary() == StoreSummary(lastApplied: CommitMark(commit: "c1", at: at(0))))
    }

    @Test func theSummaryIsReadByAnotherStoreOnTheSameFile() throws {
        try store.setLastHealthy("c9")

        let other = try StateStore(stateDirectory: directory.stateDirectory)

        #expect(try other.summary().lastHealthy == CommitMark(commit: "c9", at: at(0)))
    }
}
