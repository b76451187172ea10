import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// A release that fails its health check goes back to the last healthy one, and is held back.
struct RollbackTests {
    /// Deploys version 1 (healthy), then version 2 on port 8081, whose health check fails.
    static func failedSecondDeploy() throws -> (EngineFixture, good: String, bad: String, error: ReconcileError?) {
        let engine = EngineFixture()
        let good = engine.repository.commit(DesiredFiles.blog(version: "1"))
        try engine.once()
        engine.health.fail(.http(url: "http://127.0.0.1:8081/"))
        let bad = engine.repository.commit(DesiredFiles.blog(version: "2", port: 8081))
        let error = #expect(throws: ReconcileError.self) { try engine.once() }
        return (engine, good, bad, error)
    }

    @Test func aReleaseThatFailsItsHealthCheckIsRolledBackToTheLastHealthyOne() throws {
        let (engine, good, bad, error) = try Self.failedSecondDeploy()

        #expect(error?.stage == .health)
        #expect(error?.commit == bad)
        #expect(error?.message.contains("rolled back to \(good.prefix(12))") == true)
        // The unit file is version 1's again, and runs version 1's image.
        let unit = try #require(engine.host.files["blog.service"])
        #expect(unit.contains("8080:8080"))
        #expect(engine.host.isActive("blog.service"))
        let summary = try engine.store.summary()
        #expect(summary.lastHealthy?.commit == good)
        #expect(summary.badCommit?.commit == bad)
        #expect(engine.store.runs.last?.result == .rolledBack)
    }

    @Test func theBadCommitIsHeldBackUntilANewerCommitArrives() throws {
        let (engine, good, bad, _) = try Self.failedSecondDeploy()
        engine.host.clearOperations()

        let held = try engine.once()

        #expect(held.commit == good)
        #expect(held.heldBack == bad)
        #expect(held.actions.isEmpty)
        #expect(engine.host.operations.isEmpty)

        engine.health.fail(.http(url: "http://127.0.0.1:8081/"), detail: nil)
        let fixed = engine.repository.commit(DesiredFiles.blog(version: "3", port: 8081))
        let report = try engine.once()

        #expect(report.commit == fixed)
        #expect(report.heldBack == nil)
        #expect(try engine.store.summary().lastHealthy?.commit == fixed)
    }

    @Test func aFirstReleaseThatFailsHasNothingToGoBackTo() throws {
        let engine = EngineFixture()
        engine.health.fail(.http(url: "http://127.0.0.1:8080/"))
        let commit = engine.repository.commit(DesiredFiles.blog())

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .health)
        #expect(error?.message.contains("no earlier healthy commit") == true)
        #expect(try engine.store.summary().badCommit?.commit == commit)
        #expect(try engine.store.summary().lastError?.commit == commit)
    }
}
