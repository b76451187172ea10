import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Synchronization
import Testing

/// Releases: recorded states, verification that survives a stopped agent, health gating,
/// health on quiet polls, and what is kept on disk.
struct ReleaseTests {
    struct Crash: Error {}

    static let blogCheck = HealthCheck.Probe.http(url: "http://127.0.0.1:8080/")

    /// Deploys `files`, with the process "killed" while it waits for health: every store write
    /// from then on is lost, as a SIGKILL loses them.
    static func deployKilledWhileVerifying(_ engine: EngineFixture, _ files: [String: String]) -> String {
        let commit = engine.repository.commit(files)
        let store = engine.store
        engine.health.onWait { store.failEveryCall(with: Crash()) }
        _ = #expect(throws: ReconcileError.self) { try engine.once() }
        engine.health.onWait(nil)
        store.failEveryCall(with: nil)
        return commit
    }

    @Test("a release is recorded as applying, then verifying, then healthy")
    func releaseStates() throws {
        let engine = EngineFixture()
        let commit = engine.repository.commit(DesiredFiles.blog())
        let states = StateLog()
        let store = engine.store
        engine.health.onWait { states.append((try? store.summary().release?.state) ?? nil) }

        let report = try engine.once()

        #expect(states.values == [.verifying])
        let release = try #require(engine.store.allReleases.last)
        #expect(report.release == release.id)
        #expect(release.commit == commit)
        #expect(release.state == .healthy)
        #expect(release.gatingServices == ["blog"])
        #expect(release.addedUnits == ["blog.service", "cleanup.timer"])
        #expect(release.images.count == 1)
    }

    @Test("a release still verifying when the agent died is verified by the next run, never reported in sync")
    func interruptedVerificationResumes() throws {
        let engine = EngineFixture()
        let commit = Self.deployKilledWhileVerifying(engine, DesiredFiles.blog())
        #expect(engine.store.allReleases.last?.state == .verifying)
        let waitsBefore = engine.health.checked.count

        let report = try engine.once()

        #expect(report.run != nil)
        #expect(report.healthy == ["blog"])
        #expect(engine.health.checked.count == waitsBefore + 1)
        #expect(engine.store.allReleases.count == 1)
        #expect(engine.store.allReleases.last?.state == .healthy)
        #expect(try engine.store.summary().lastHealthy?.commit == commit)
    }

    @Test("a resumed verification that fails rolls the release back")
    func resumedVerificationCanRollBack() throws {
        let engine = EngineFixture()
        let good = engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        let bad = Self.deployKilledWhileVerifying(engine, DesiredFiles.blog(version: "2"))
        engine.health.fail(Self.blogCheck)

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.message.contains("rolled back to \(good.prefix(12))") == true)
        #expect(try engine.store.summary().quarantined.map(\.commit) == [bad])
        #expect(engine.store.allReleases.last?.state == .rolledBack)
    }

    @Test("an interrupted release that a newer commit supersedes is recorded as failed")
    func supersededReleaseFails() throws {
        let engine = EngineFixture()
        _ = Self.deployKilledWhileVerifying(engine, DesiredFiles.blog())
        let newer = engine.repository.commit(DesiredFiles.blog(version: "2"))

        try engine.once()

        let releases = engine.store.allReleases
        #expect(releases.map(\.state) == [.failed, .healthy])
        #expect(releases.first?.message?.contains("superseded by \(newer.prefix(12))") == true)
    }

    @Test("only the services a release changed gate it; one already failing is reported")
    func onlyChangedServicesGate() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        engine.health.fail(Self.blogCheck)
        var files = DesiredFiles.blog().merging(DesiredFiles.cache()) { $1 }
        files["desired-state/cache.yaml"]! += "health: {tcp: 6379, timeout: 10s}\n"
        let commit = engine.repository.commit(files)

        let report = try engine.once()

        #expect(report.healthy == ["cache"])
        #expect(report.unhealthy == ["blog"])
        let summary = try engine.store.summary()
        #expect(summary.lastHealthy?.commit == commit)
        #expect(summary.unhealthy?.message.contains("blog: connection refused") == true)
    }

    @Test("a poll with nothing to apply still probes health, and writes only when that changes")
    func quietPollsProbeHealth() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        try engine.once()
        let writes = engine.store.writeCount

        engine.health.fail(Self.blogCheck)
        #expect(try engine.once().unhealthy == ["blog"])
        #expect(try engine.store.summary().unhealthy != nil)
        #expect(try engine.diff().unhealthy.map(\.service) == ["blog"])
        _ = try engine.once()
        #expect(engine.store.writeCount == writes + 1, "an unchanged health result is not written again")

        engine.health.fail(Self.blogCheck, detail: nil)
        #expect(try engine.once().unhealthy.isEmpty)
        #expect(try engine.store.summary().unhealthy == nil)
        #expect(engine.store.runs.count == 1, "quiet polls record no runs")
    }

    @Test("eight deploys keep the images of the current release and three healthy ones before it")
    func imagesAreRetained() throws {
        let engine = EngineFixture()
        var commits: [String] = []
        for version in 1...8 {
            commits.append(engine.repository.commit(DesiredFiles.blog(version: "\(version)")))
            try engine.once()
        }

        let images = engine.host.images.keys.filter { $0.hasPrefix("localhost/reconciler/blog:") }
        #expect(images.count == 4)
        #expect(try engine.store.allImages().count == 4)
        let current = try #require(engine.store.allReleases.last?.images.first)
        #expect(images.contains(current))
        #expect(engine.repository.removedBuildDirectories.count == 8)
        #expect(engine.repository.removedBuildDirectories.allSatisfy { $0 == "/var/lib/reconciler/build" })
    }

    @Test("pruning never removes a pulled image, which other containers may share")
    func pulledImagesAreKept() throws {
        let engine = EngineFixture()
        engine.configuration.retainReleases = 0
        let cache = "docker.io/library/redis:7"
        engine.repository.commit(DesiredFiles.blog().merging(DesiredFiles.cache(cache)) { $1 })
        try engine.once()
        engine.repository.commit(DesiredFiles.blog(version: "2"))
        try engine.once()
        for version in 3...4 {
            engine.repository.commit(DesiredFiles.blog(version: "\(version)"))
            try engine.once()
        }

        #expect(engine.host.images[cache] != nil)
        #expect(!engine.host.operations.contains("remove-image \(cache)"))
        #expect(engine.host.images.keys.filter { $0.hasPrefix("localhost/reconciler/blog:") }.count == 1)
    }

    @Test("the run history is pruned to its limit")
    func historyIsPruned() throws {
        let engine = EngineFixture()
        engine.configuration.historyLimit = 3
        for version in 1...5 {
            engine.repository.commit(DesiredFiles.blog(version: "\(version)"))
            try engine.once()
        }
        #expect(engine.store.runs.count == 3)
    }
}

/// Values recorded from a fake's callback.
final class StateLog: Sendable {
    private let state = Mutex<[ReleaseState?]>([])
    var values: [ReleaseState?] { state.withLock { $0 } }
    func append(_ value: ReleaseState?) { state.withLock { $0.append(value) } }
}
