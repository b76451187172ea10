import Foundation
import ReconcilerCore
import ReconcilerStore
import Testing

/// Runs and their actions: intent recorded first, outcomes after, crashes found again.
struct RunHistoryTests {
    let directory: TemporaryDirectory
    let clock = SteppingClock()
    let store: StateStore

    init() throws {
        directory = try TemporaryDirectory()
        store = try StateStore(stateDirectory: directory.stateDirectory, now: clock.now)
    }

    static let plan = [
        PlannedAction(.buildImage, "localhost/blog:abc", service: "blog", reason: "the image is missing"),
        PlannedAction(.writeUnit, "blog.service", service: "blog", reason: "the unit differs"),
        PlannedAction(.daemonReload, "", reason: "a unit file changed"),
        PlannedAction(.restart, "blog.service", service: "blog", reason: "its unit changed"),
    ]

    @Test func aRunsIntentsAndOutcomesReadBackInOrder() throws {
        // Given a run that recorded its plan, then did it
        let run = try store.beginRun(trigger: "once", commit: "c1")
        let ids = try store.recordIntent(run: run, actions: Self.plan)
        for id in ids.dropLast() {
            try store.markAction(id, state: .started, message: nil)
            try store.markAction(id, state: .succeeded, message: nil)
        }
        try store.markAction(ids[3], state: .started, message: nil)
        try store.markAction(ids[3], state: .failed, message: "exit status 1")
        try store.finishRun(run, result: .failed, message: "restart blog.service failed")

        // When history is read
        let record = try #require(try store.history(limit: 1).first)

        // Then it holds the run and every step, in order, with how it ended
        #expect(record.id == run)
        #expect(record.trigger == "once")
        #expect(record.commit == "c1")
        #expect(record.result == .failed)
        #expect(record.message == "restart blog.service failed")
        #expect(record.startedAt == SteppingClock.start)
        #expect(record.endedAt != nil)
        #expect(record.actions.map(\.id) == ids)
        #expect(record.actions.map(\.position) == [0, 1, 2, 3])
        #expect(record.actions.compactMap(\.plannedAction) == Self.plan)
        #expect(record.actions.map(\.state) == [.succeeded, .succeeded, .succeeded, .failed])
        #expect(record.actions[3].message == "exit status 1")
        #expect(record.actions.allSatisfy { $0.startedAt != nil && $0.endedAt != nil })
    }

    @Test func aRunLeftUnfinishedByACrashShowsWithWhatItIntended() throws {
        // Given a run that recorded its plan, began its first step and died
        do {
            let crashing = try StateStore(stateDirectory: directory.stateDirectory, now: clock.now)
            let run = try crashing.beginRun(trigger: "run", commit: "c2")
            let ids = try crashing.recordIntent(run: run, actions: Self.plan)
            try crashing.markAction(ids[0], state: .started, message: nil)
        }

        // When the next process opens the store
        let reopened = try StateStore(stateDirectory: directory.stateDirectory, now: clock.now)
        let unfinished = try reopened.unfinishedRuns()

        // Then it sees the run, every intended step, and the one in flight
        let run = try #require(unfinished.first)
        #expect(unfinished.count == 1)
        #expect(run.commit == "c2")
        #expect(run.endedAt == nil && run.result == nil)
        #expect(run.actions.map(\.state) == [.started, .intended, .intended, .intended])
        #expect(run.actions.compactMap(\.plannedAction) == Self.plan)

        // And abandoning closes it, leaving the steps as they were
        let abandoned = try reopened.abandonUnfinishedRuns(message: "the process died mid-run")
        #expect(abandoned.map(\.id) == [run.id])
        #expect(try reopened.unfinishedRuns().isEmpty)
        let closed = try #require(try reopened.run(run.id))
        #expect(closed.result == .abandoned)
        #expect(closed.message == "the process died mid-run")
        #expect(closed.actions.map(\.state) == [.started, .intended, .intended, .intended])
    }

    @Test func historyIsNewestFirstAndLimited() throws {
        for (index, result) in [RunResult.succeeded, .noChange, .refused].enumerated() {
            let run = try store.beginRun(trigger: "run", commit: "c\(index)")
            try store.finishRun(run, result: result, message: nil)
        }

        #expect(try store.history(limit: 2).map(\.commit) == ["c2", "c1"])
        #expect(try store.history(limit: 10).map(\.result) == [.refused, .noChange, .succeeded])
        #expect(try store.history(limit: 0).isEmpty)
    }

    @Test func intentsRecordedLaterFollowTheEarlierOnes() throws {
        let run = try store.beginRun(trigger: "once", commit: "c1")
        _ = try store.recordIntent(run: run, actions: Array(Self.plan.prefix(2)))
        let rollback = try store.recordIntent(
            run: run,
            actions: [PlannedAction(.restart, "blog.service", service: "blog", reason: "roll back to c0")]
        )

        let actions = try #require(try store.run(run)).actions
        #expect(actions.map(\.position) == [0, 1, 2])
        #expect(actions.last?.id == rollback.first)
    }

    @Test func anEndedRunOrActionCannotChange() throws {
        let run = try store.beginRun(trigger: "once", commit: "c1")
        let ids = try store.recordIntent(run: run, actions: Self.plan)
        try store.markAction(ids[0], state: .skipped, message: "not needed")
        let path = store.path

        let again = #expect(throws: StoreError.self) { try store.markAction(ids[0], state: .started, message: nil) }
        #expect(again?.description == "mark action \(ids[0]) as started in \(path): the action is already skipped")

        try store.finishRun(run, result: .succeeded, message: nil)
        let twice = #expect(throws: StoreError.self) { try store.finishRun(run, result: .failed, message: nil) }
        #expect(twice?.description == "finish run \(run) as failed in \(path): run \(run) already ended (succeeded)")
        let late = #expect(throws: StoreError.self) { try store.markAction(ids[1], state: .failed, message: nil) }
        #expect(late?.message == "run \(run) already ended (succeeded)")
        let unknown = #expect(throws: StoreError.self) { try store.recordIntent(run: 99, actions: Self.plan) }
        #expect(unknown?.description == "record the intended actions of run 99 in \(path): there is no run 99")
        #expect(try store.run(run)?.actions[1].state == .intended)
    }

    @Test func pruningKeepsTheNewestFinishedRunsAndTheirActions() throws {
        var runs: [Int64] = []
        for index in 0..<4 {
            let run = try store.beginRun(trigger: "run", commit: "c\(index)")
            _ = try store.recordIntent(run: run, actions: Self.plan)
            if index != 0 { try store.finishRun(run, result: .succeeded, message: nil) }
            runs.append(run)
        }

        #expect(try store.pruneHistory(keepingLast: 2) == 1)

        // The oldest run is unfinished and stays; the next one goes with its actions
        // (ON DELETE CASCADE: foreign keys are on).
        #expect(try store.history(limit: 10).map(\.id) == [runs[3], runs[2], runs[0]])
        #expect(try SQLiteInspector.query(store.path, "SELECT count(*) FROM runAction") == ["12"])
    }

    @Test func aWriteWhileAnotherProcessHoldsTheDatabaseFailsAsBusyAfterTheTimeout() throws {
        let ready = directory.path + "/ready"
        let script = """
            import sqlite3, sys, time
            connection = sqlite3.connect(sys.argv[1], isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
            open(sys.argv[2], "w").close()
            time.sleep(60)
            """
        let holder = try ChildProcess(["/usr/bin/python3", "-c", script, store.path, ready])
        defer { holder.kill() }
        try holder.waitUntil { FileManager.default.fileExists(atPath: ready) }

        let started = Date()
        let error = #expect(throws: StoreError.self) { try store.beginRun(trigger: "once", commit: nil) }

        #expect(error?.description == "begin a once run in \(store.path): database is locked")
        #expect(error?.isBusy == true)
        #expect(Date().timeIntervalSince(started) >= 4.5)
    }
}
