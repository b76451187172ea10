import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// A run killed half-way is closed by the next one, which finishes the job from what runs.
struct RecoveryTests {
    @Test func theNextRunClosesAnInterruptedRunAndRollsTheHostForward() throws {
        let engine = EngineFixture()
        let commit = engine.repository.commit(DesiredFiles.blog())
        // A run that died after writing the unit file, before reloading or starting it.
        let crashed = try engine.store.beginRun(trigger: "run", commit: commit)
        let ids = try engine.store.recordIntent(
            run: crashed,
            actions: [
                PlannedAction(.writeUnit, "blog.service", reason: "new"),
                PlannedAction(.daemonReload, "", reason: "files changed"),
            ])
        try engine.store.markAction(ids[0], state: .started, message: nil)
        try engine.store.recordUnitWritten("blog.service", commit: commit)
        try engine.host.units.writeUnitFile("blog.service", contents: "[Unit]\nX-Reconciler-Source=half\n")

        let report = try engine.once()

        let runs = engine.store.runs
        #expect(runs.first?.result == .abandoned)
        #expect(runs.first?.actions.first?.state == .started, "history shows the step that was in flight")
        #expect(runs.last?.result == .succeeded)
        #expect(report.commit == commit)
        #expect(engine.host.isActive("blog.service"))
        #expect(engine.host.files["blog.service"]?.contains("X-Reconciler-Source=desired-state/blog.yaml") == true)
    }

    @Test func aFailedStepIsMarkedAndTheRestIsNotTaken() throws {
        let engine = EngineFixture()
        engine.host.failStarts(of: "blog.service")
        engine.repository.commit(DesiredFiles.blog())

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .apply)
        #expect(error?.message.contains("start blog.service") == true)
        let run = try #require(engine.store.runs.last)
        // A first release has nothing to go back to: what it added is removed again.
        #expect(run.result == .rolledBack)
        let failed = try #require(
            run.actions.firstIndex { $0.target == "blog.service" && $0.kind == "start" && $0.state == .failed })
        let rest = run.actions[(failed + 1)...].prefix { $0.kind != "stop" && $0.kind != "disable" }
        #expect(rest.allSatisfy { $0.state == .intended }, "the steps planned after the failure are not taken")
    }
}
