import Foundation
import ReconcilerCore
import ReconcilerTesting
import Synchronization
import Testing

@testable import ReconcilerEngine

/// The daemon loop with an injected clock and scripted signals: no real sleeps.
struct AgentTests {
    static func agent(
        _ engine: EngineFixture, events: [ScriptedTriggers.Event], interval: Double = 30,
        between: @escaping @Sendable (Int) -> Void = { _ in }
    ) -> (Agent, ScriptedTriggers, RecordingReporter) {
        engine.configuration.pollInterval = interval
        let triggers = ScriptedTriggers(events, clock: engine.clock, between: between)
        let reporter = RecordingReporter()
        let agent = Agent(
            configuration: engine.configuration, ports: engine.ports, triggers: triggers, reporter: reporter,
            logger: engine.logger, random: { 0 })
        return (agent, triggers, reporter)
    }

    @Test func theAgentSyncsEveryPollIntervalAndStopsOnSIGTERM() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        let (agent, triggers, reporter) = Self.agent(engine, events: [.timeout, .timeout, .stop(after: 3)])

        let status = agent.run()

        #expect(status == 0)
        #expect(triggers.installed)
        #expect(triggers.waits == [30, 30, 30])
        #expect(engine.repository.updateCount == 3)
        #expect(reporter.sent.first?.hasPrefix("READY=1") == true)
        #expect(reporter.sent.last == "STOPPING=1")
        #expect(reporter.sent.contains { $0.hasPrefix("STATUS=") && $0.contains("in sync") })
        #expect(engine.store.runs.map(\.trigger) == ["poll"], "one deploy, then in-sync polls that record nothing")
    }

    @Test func jitterAddsUpToATenthOfTheInterval() {
        let engine = EngineFixture()
        engine.configuration.pollInterval = 30
        let agent = Agent(
            configuration: engine.configuration, ports: engine.ports,
            triggers: ScriptedTriggers([], clock: engine.clock), reporter: RecordingReporter(), logger: engine.logger,
            random: { 1 })

        #expect(agent.jittered(30) == 33)
    }

    @Test func failingSyncsBackOffExponentiallyUpToFiveMinutesThenRecover() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        engine.repository.failUpdates(with: FakeHostFailure("git.example.org: connection refused"))
        let (agent, triggers, reporter) = Self.agent(
            engine, events: Array(repeating: .timeout, count: 6), interval: 30
        ) { [repository = engine.repository] wait in
            // The remote comes back after the fifth failure.
            if wait == 4 { repository.failUpdates(with: nil) }
        }

        _ = agent.run()

        // 60, 120, 240, then capped at 300; after the first success, the poll interval again.
        #expect(triggers.waits == [60, 120, 240, 300, 300, 30, 30])
        #expect(reporter.sent.contains { $0.contains("last sync failed") && $0.contains("(source)") })
        #expect(engine.host.isActive("blog.service"))
    }

    @Test func sighupSyncsAtOnceInsteadOfWaitingForThePoll() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog(version: "1"))
        let second = Mutex<String?>(nil)
        let (agent, triggers, _) = Self.agent(engine, events: [.reload(after: 2), .stop(after: 0)], interval: 600) {
            [repository = engine.repository] wait in
            if wait == 0 { second.withLock { $0 = repository.commit(DesiredFiles.blog(version: "2")) } }
        }
        let start = engine.clock.now()

        _ = agent.run()

        #expect(triggers.waits.count == 2)
        #expect(engine.clock.now().timeIntervalSince(start) == 2, "the reload cut the 600 s wait short")
        #expect(try engine.store.summary().lastApplied?.commit == second.withLock { $0 })
    }

    @Test func aStopRequestedDuringTheWaitEndsTheLoopWithoutAnotherSync() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        let (agent, _, reporter) = Self.agent(engine, events: [.stop(after: 1)])

        #expect(agent.run() == 0)
        #expect(engine.repository.updateCount == 1)
        #expect(reporter.sent.last == "STOPPING=1")
    }
}
