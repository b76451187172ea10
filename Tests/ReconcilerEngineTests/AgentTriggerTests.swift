import Foundation
import ReconcilerCore
import ReconcilerTesting
import Testing

@testable import ReconcilerEngine

/// History says what started each of the agent's runs: its poll timer or a SIGHUP, as the
/// README promises (`reconciler once` records "once").
struct AgentTriggerTests {
    @Test("A run woken by the poll timer is recorded as poll, one woken by SIGHUP as signal")
    func runsRecordWhatWokeTheAgent() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog(version: "1"))
        let (agent, _, _) = AgentTests.agent(
            engine, events: [.timeout, .reload(after: 2), .stop(after: 0)], interval: 600
        ) { [repository = engine.repository] wait in
            // A new commit before each wake, so each wake deploys and is recorded.
            if wait < 2 { repository.commit(DesiredFiles.blog(version: "\(wait + 2)")) }
        }

        _ = agent.run()

        // The agent's first sync at start (a scheduled one, so a poll), the timer, the SIGHUP.
        #expect(engine.store.runs.map(\.trigger) == ["poll", "poll", "signal"])
    }
}
