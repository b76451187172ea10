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
        try store.markBadCommit("c2", reason: "health check failed")

        #expect(
            try store.summary()
                == StoreSummary(
                    lastApplied: CommitMark(commit: "c2", at: at(2)),
                    lastHealthy: CommitMark(commit: "c1", at: at(1)),
                    lastError: ErrorMark(message: "blog.service failed its health check", commit: "c2", at: at(3)),
                    badCommit: BadCommit(commit: "c2", reason: "health check failed", at: at(4))
                )
        )
    }

    @Test func clearingTheErrorAndTheBadCommitLeavesTheCommits() throws {
        try store.setLastApplied("c1")
        try store.setLastError("fetch timed out")
        try store.markBadCommit("c0")

        try store.clearLastError()
        try store.clearBadCommit()

        #expect(try store.summary() == StoreSummary(lastApplied: CommitMark(commit: "c1", at: at(0))))
    }

    @Test func theSummaryIsReadByAnotherStoreOnTheSameFile() throws {
        try store.setLastHealthy("c9")

        let other = try StateStore(stateDirectory: directory.stateDirectory)

        #expect(try other.summary().lastHealthy == CommitMark(commit: "c9", at: at(0)))
    }
}
