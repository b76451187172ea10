import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// Each recorded run notes the repository it worked from, as the composition root shows it.
struct RunRepositoryRecordTests {
    @Test func aRunNotesTheShownURLAndTheReferenceItFollowed() throws {
        let engine = EngineFixture()
        engine.configuration.repository.reference = .tag("production")
        engine.repository.commit(DesiredFiles.blog())
        var ports = engine.ports
        ports.shownRepositoryURL = "https://ada:***@git.example/ops.git"

        _ = try Reconciliation(configuration: engine.configuration, ports: ports, logger: engine.logger)
            .once(waitForLock: false)

        let recorded = try #require(try engine.store.lastRunRepository())
        #expect(recorded.url == "https://ada:***@git.example/ops.git")
        #expect(recorded.trackedReference == .tag("production"))
    }

    @Test func withoutAShownURLNothingIsNoted() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())

        try engine.once()

        #expect(try engine.store.lastRunRepository() == nil)
        #expect(engine.store.runs.count == 1)
    }
}
