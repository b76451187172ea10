import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// After every run (success, failure, rollback, suspension) the engine tells the outcome
/// port how it ended: what the metrics file and the webhooks are made from.
struct RunOutcomeTests {
    @Test("a deploy, an idle sync, a rollback and a held-back sync each report their outcome")
    func deployRollbackAndHoldBack() throws {
        let engine = EngineFixture()
        let good = engine.repository.commit(DesiredFiles.blog(version: "1"))
        let deployed = try engine.once()

        let first = try #require(engine.outcomes.last)
        #expect(first.result == .converged)
        #expect(first.commit == good)
        #expect(first.trigger == "once")
        #expect(first.release == deployed.release && first.release != nil)
        #expect(first.actions == deployed.actions.count && first.actions > 0)
        #expect(first.drift == deployed.actions.count)
        #expect(first.summary?.lastApplied?.commit == good)
        #expect(first.summary?.lastHealthy?.commit == good)
        #expect(first.message == nil)

        try engine.once()
        let idle = try #require(engine.outcomes.last)
        #expect(idle.result == .inSync)
        #expect(idle.drift == 0 && idle.actions == 0)
        #expect(idle.applySeconds == 0)

        engine.health.fail(RollbackTests.port8081)
        let bad = engine.repository.commit(DesiredFiles.blog(version: "2", port: 8081))
        #expect(throws: ReconcileError.self) { try engine.once() }
        let rolledBack = try #require(engine.outcomes.last)
        #expect(rolledBack.result == .rolledBack)
        #expect(rolledBack.commit == bad)
        #expect(rolledBack.release != nil)
        #expect(rolledBack.message?.contains("rolled back to \(good.prefix(12))") == true)
        #expect(rolledBack.summary?.quarantined.map(\.commit) == [bad])
        #expect(rolledBack.summary?.lastHealthy?.commit == good)

        try engine.once()
        let held = try #require(engine.outcomes.last)
        #expect(held.result == .heldBack)
        #expect(held.heldBack == bad)
        #expect(held.commit == good)
        #expect(engine.outcomes.reported.count == 4, "one outcome per run")
    }

    @Test("a suspended run reports the suspension, its reason and the drift it did not heal")
    func suspended() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        try engine.reconciliation().suspend(reason: "incident \"42\"")
        engine.host.stopBehindOurBack("blog.service")

        try engine.once()

        let outcome = try #require(engine.outcomes.last)
        #expect(outcome.result == .suspended)
        #expect(outcome.suspended == "incident \"42\"")
        #expect(outcome.drift == 1)
        #expect(outcome.summary?.suspended?.message == "incident \"42\"")
    }

    /// The result each failing stage of ErrorStageTests reports; nil: no outcome at all.
    static let failures: [(ReconcileError.Stage, RunOutcomeResult?)] = [
        (.configuration, .failed), (.lock, nil), (.store, .failed), (.source, .failed), (.validation, .refused),
        (.refused, .refused), (.verification, .failed), (.observe, .failed), (.apply, .failed),
        // The first release failed its health check: the units it added were removed.
        (.health, .rolledBack),
    ]

    @Test(
        "a failed run reports failed, refused or rolled back; a run that never got the lock reports nothing",
        arguments: failures)
    func failure(stage: ReconcileError.Stage, expected: RunOutcomeResult?) throws {
        let failure = try #require(ErrorStageTests.cases.first { $0.stage == stage })
        let engine = EngineFixture()
        if stage != .validation { engine.repository.commit(DesiredFiles.blog()) }
        failure.arrange(engine)

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(engine.outcomes.last?.result == expected)
        guard expected != nil, let outcome = engine.outcomes.last else { return }
        #expect(outcome.message == error?.message)
        #expect(outcome.commit == error?.commit)
        #expect((outcome.summary == nil) == (stage == .store), "the marks are read back when the store opens")
    }
}
