import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// A release that fails after it changed the host goes back to the last healthy one (or, on
/// a first deploy, removes what it added), and its commit is quarantined.
struct RollbackTests {
    static let port8081 = HealthCheck.Probe.http(url: "http://127.0.0.1:8081/")

    /// Deploys version 1 (healthy), then version 2 on port 8081, whose health check fails.
    static func failedSecondDeploy() throws -> (EngineFixture, good: String, bad: String, error: ReconcileError?) {
        let engine = EngineFixture()
        let good = engine.repository.commit(DesiredFiles.blog(version: "1"))
        try engine.once()
        engine.health.fail(port8081)
        let bad = engine.repository.commit(DesiredFiles.blog(version: "2", port: 8081))
        let error = #expect(throws: ReconcileError.self) { try engine.once() }
        return (engine, good, bad, error)
    }

    @Test("a release that fails its health check is rolled back to the last healthy one")
    func healthFailureRollsBack() throws {
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
        #expect(summary.lastApplied?.commit == good)
        #expect(summary.quarantined.map(\.commit) == [bad])
        #expect(summary.release?.state == .rolledBack)
        #expect(summary.degraded == nil)
        #expect(engine.store.runs.last?.result == .rolledBack)
    }

    @Test("a quarantined commit is held back until a newer commit arrives")
    func quarantinedCommitIsHeldBack() throws {
        let (engine, good, bad, _) = try Self.failedSecondDeploy()
        engine.host.clearOperations()

        let held = try engine.once()

        #expect(held.commit == good)
        #expect(held.heldBack == bad)
        #expect(held.actions.isEmpty)
        #expect(engine.host.operations.isEmpty)

        engine.health.fail(Self.port8081, detail: nil)
        let fixed = engine.repository.commit(DesiredFiles.blog(version: "3", port: 8081))
        let report = try engine.once()

        #expect(report.commit == fixed)
        #expect(report.heldBack == nil)
        let summary = try engine.store.summary()
        #expect(summary.lastHealthy?.commit == fixed)
        #expect(summary.release?.state == .healthy)
        #expect(summary.quarantined.isEmpty)
    }

    @Test("a unit that fails to start rolls the release back and leaves none of its unit files")
    func startFailureRollsBack() throws {
        let engine = EngineFixture()
        let good = engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        engine.host.failStarts(of: "cache.service", with: "exec format error")
        let bad = engine.repository.commit(DesiredFiles.blog().merging(DesiredFiles.cache()) { $1 })

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .apply)
        #expect(error?.message.contains("exec format error") == true)
        #expect(error?.message.contains("rolled back to \(good.prefix(12))") == true)
        #expect(engine.host.files["cache.service"] == nil)
        #expect(engine.host.isActive("blog.service"))
        #expect(try engine.store.inventory().units == ["blog.service", "cleanup.timer"])
        #expect(try engine.store.summary().quarantined.map(\.commit) == [bad])

        engine.host.clearOperations()
        let next = try engine.once()
        #expect(next.heldBack == bad)
        #expect(next.actions.isEmpty)
        #expect(engine.host.operations.isEmpty)
    }

    @Test("a first release that fails leaves the host as it was before it")
    func failedFirstReleaseIsRemoved() throws {
        let engine = EngineFixture()
        engine.host.failStarts(of: "blog.service")
        let commit = engine.repository.commit(DesiredFiles.blog())

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .apply)
        #expect(error?.message.contains("no earlier release was healthy") == true)
        #expect(engine.host.files.isEmpty)
        #expect(!engine.host.isActive("cleanup.timer"))
        #expect(!engine.host.isEnabled("cleanup.timer"))
        #expect(try engine.store.inventory().units.isEmpty)
        let summary = try engine.store.summary()
        #expect(summary.quarantined.map(\.commit) == [commit])
        #expect(summary.lastApplied == nil)
        #expect(summary.lastHealthy == nil)
        #expect(summary.release?.state == .rolledBack)

        // The next runs do nothing; a fixed commit deploys.
        engine.host.clearOperations()
        let probedBefore = engine.health.probed.count
        let held = try engine.once()
        #expect(held.heldBack == commit)
        #expect(held.unhealthy.isEmpty)
        #expect(engine.health.probed.count == probedBefore, "nothing of a removed release is probed")
        #expect(engine.host.operations.isEmpty)
        #expect(try engine.diff().unhealthy.isEmpty)
        engine.host.failStarts(of: "blog.service", with: nil)
        let fixed = engine.repository.commit(DesiredFiles.blog(version: "2"))
        #expect(try engine.once().commit == fixed)
        #expect(engine.host.isActive("blog.service"))
    }

    @Test("a build that fails changes nothing, quarantines nothing, and is tried again")
    func buildFailureIsNotRolledBack() throws {
        let engine = EngineFixture()
        let good = engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        engine.host.failBuilds(of: "blog")
        let next = engine.repository.commit(DesiredFiles.blog(version: "2"))
        engine.host.clearOperations()

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .apply)
        #expect(engine.host.operations.allSatisfy { $0.hasPrefix("build") })
        #expect(engine.repository.removedBuildDirectories.last == "/var/lib/reconciler/build", "even after a failure")
        let summary = try engine.store.summary()
        #expect(summary.quarantined.isEmpty)
        #expect(summary.lastHealthy?.commit == good)
        #expect(summary.release?.state == .failed)

        engine.host.failBuilds(of: "blog", with: nil)
        #expect(try engine.once().commit == next)
        #expect(try engine.store.summary().lastHealthy?.commit == next)
    }

    @Test("when the restored release is unhealthy too, six polls make one deploy and one rollback")
    func degradedHostIsLeftAlone() throws {
        let engine = EngineFixture()
        let first = engine.repository.commit(DesiredFiles.blog(version: "1"))
        try engine.once()
        engine.health.fail(.http(url: "http://127.0.0.1:8080/"))
        engine.health.fail(Self.port8081)
        let second = engine.repository.commit(DesiredFiles.blog(version: "2", port: 8081))
        engine.host.clearOperations()

        var failures = 0
        for _ in 0..<6 {
            do throws(ReconcileError) {
                _ = try engine.once()
            } catch {
                failures += 1
            }
        }

        #expect(failures == 1)
        let starts = engine.host.operations.filter { $0.hasPrefix("start ") || $0.hasPrefix("restart ") }
        // Version 2 restarted in, then version 1 restarted back: nothing after.
        #expect(starts == ["restart blog.service", "restart blog.service"])
        let summary = try engine.store.summary()
        #expect(summary.degraded?.message.contains(first.prefix(12)) == true)
        #expect(summary.quarantined.map(\.commit) == [second])
        let report = try engine.once()
        #expect(report.degraded != nil)
        #expect(report.actions.isEmpty)

        // A retry lets the host move again.
        engine.health.fail(Self.port8081, detail: nil)
        _ = try engine.reconciliation().retry(nil)
        #expect(try engine.once().commit == second)
        #expect(try engine.store.summary().degraded == nil)
    }

    @Test("retry takes a commit out of the quarantine and the next run deploys it")
    func retryReleasesTheQuarantine() throws {
        let (engine, _, bad, _) = try Self.failedSecondDeploy()
        engine.health.fail(Self.port8081, detail: nil)

        #expect(throws: ReconcileError.self) { try engine.reconciliation().retry("0000000") }
        #expect(try engine.reconciliation().retry(String(bad.prefix(8))) == [bad])

        let report = try engine.once()
        #expect(report.commit == bad)
        #expect(try engine.store.summary().lastHealthy?.commit == bad)
    }
}

/// A healthy release may be empty (applied with `allowEmpty`): going back to it removes what
/// the failed release added, and is not refused as "removing every unit" once allowEmpty is off.
struct RollbackToEmptyReleaseTests {
    @Test("a failed release rolls back to a healthy empty release even with allowEmpty off")
    func rollsBackToAnEmptyRelease() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog(version: "1"))
        try engine.once()
        engine.configuration.allowEmpty = true
        let empty = engine.repository.commit(["desired-state/.gitkeep": ""])
        try engine.once()
        #expect(engine.host.files["blog.service"] == nil)

        engine.configuration.allowEmpty = false
        engine.host.failStarts(of: "blog.service")
        let failing = engine.repository.commit(DesiredFiles.blog(version: "2"))
        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.commit == failing)
        #expect(error?.message.contains("rolled back to \(empty.prefix(12))") == true, "\(String(describing: error))")
        #expect(error?.message.contains("refused") == false, "\(String(describing: error))")
        #expect(engine.host.files["blog.service"] == nil)
        #expect(try engine.store.summary().lastHealthy?.commit == empty)

        // Staying on the empty release while the failed commit is quarantined is not refused either.
        let held = try engine.once()
        #expect(held.commit == empty)
        #expect(held.heldBack == failing)
    }
}
