import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// `once` on an in-memory host: what a deploy does, in which order, and what it records.
struct ConvergeTests {
    @Test func aFirstDeployBuildsWritesReloadsStartsChecksHealthAndRecords() throws {
        let engine = EngineFixture()
        let commit = engine.repository.commit(DesiredFiles.blog())

        let report = try engine.once()

        #expect(report.commit == commit)
        #expect(report.healthy == ["blog"])
        let operations = engine.host.operations
        let build = try #require(operations.firstIndex { $0.hasPrefix("build localhost/reconciler/blog:") })
        let write = try #require(operations.firstIndex(of: "write blog.service"))
        let reload = try #require(operations.firstIndex(of: "daemon-reload"))
        let start = try #require(operations.firstIndex(of: "start blog.service"))
        #expect(build < write && write < reload && reload < start)
        #expect(operations.filter { $0 == "daemon-reload" }.count == 1)
        #expect(engine.host.isActive("blog.service"))
        #expect(engine.host.isEnabled("cleanup.timer"))
        #expect(engine.host.container("blog")?.running == true)
        #expect(engine.health.checked == [.http(url: "http://127.0.0.1:8080/")])
        let summary = try engine.store.summary()
        #expect(summary.lastApplied?.commit == commit)
        #expect(summary.lastHealthy?.commit == commit)
        #expect(try engine.store.inventory().units == ["blog.service", "cleanup.timer"])
        let run = try #require(engine.store.runs.last)
        #expect(run.result == .succeeded)
        #expect(run.actions.allSatisfy { $0.state == .succeeded })
    }

    @Test func anInSyncRunChangesNothingAndRecordsNothing() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        engine.host.clearOperations()
        let writes = engine.store.writeCount
        let runs = engine.store.runs.count

        let report = try engine.once()

        #expect(report.actions.isEmpty)
        #expect(report.run == nil)
        #expect(engine.host.operations.isEmpty)
        #expect(engine.store.writeCount == writes)
        #expect(engine.store.runs.count == runs)
    }

    @Test func aConfigurationChangeRewritesAndRestartsOnlyTheChangedService() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog().merging(DesiredFiles.cache()) { $1 })
        try engine.once()
        engine.host.clearOperations()

        let commit = engine.repository.commit(DesiredFiles.blog(port: 8081).merging(DesiredFiles.cache()) { $1 })
        let report = try engine.once()

        #expect(report.commit == commit)
        #expect(engine.host.operations.contains("restart blog.service"))
        #expect(!engine.host.operations.contains { $0.hasSuffix("cache.service") })
        #expect(!engine.host.operations.contains { $0.hasPrefix("build ") }, "the build context did not change")
    }

    @Test func driftMadeByHandIsHealedWithoutANewCommit() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        engine.host.stopBehindOurBack("blog.service", failed: true)
        let timer = try #require(engine.host.files["cleanup.timer"])
        engine.host.editUnitFile(
            "cleanup.timer", contents: timer.replacing("OnCalendar=daily", with: "OnCalendar=hourly"))

        let report = try engine.once()

        #expect(report.actions.map(\.kind).contains(.writeUnit))
        #expect(engine.host.isActive("blog.service"))
        #expect(engine.host.files["cleanup.timer"] == timer)
    }

    @Test func aUnitWhoseMarkerWasRemovedByHandIsNoLongerOursAndIsNeverOverwritten() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        engine.host.editUnitFile("cleanup.timer", contents: "[Timer]\nOnCalendar=hourly\n")

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .refused)
        #expect(error?.message.contains("cleanup.timer") == true)
        #expect(engine.host.files["cleanup.timer"] == "[Timer]\nOnCalendar=hourly\n")
    }

    @Test func aServiceThatLeftGitIsStoppedDisabledAndRemoved() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog().merging(DesiredFiles.cache()) { $1 })
        try engine.once()

        engine.repository.commit(DesiredFiles.blog())
        try engine.once()

        #expect(engine.host.files["cache.service"] == nil)
        #expect(!engine.host.isActive("cache.service"))
        #expect(try !engine.store.inventory().units.contains("cache.service"))
        let operations = engine.host.operations
        let stop = try #require(operations.firstIndex(of: "stop cache.service"))
        let remove = try #require(operations.firstIndex(of: "remove cache.service"))
        #expect(stop < remove)
    }

    @Test func diffPlansWithoutChangingTheHost() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())

        let assessment = try engine.diff()

        #expect(!assessment.plan.isEmpty)
        #expect(assessment.plan.actions.contains { $0.kind == .writeUnit && $0.target == "blog.service" })
        #expect(engine.host.operations.isEmpty)
        #expect(engine.store.runs.isEmpty)
    }

    @Test func aHostSeesOnlyTheServicesThatSelectIt() throws {
        let engine = EngineFixture(hostName: "db1")
        var files = DesiredFiles.blog(withTimer: false)
        files["desired-state/blog.yaml"]? += "hosts: {names: [web1]}\n"
        files.merge(DesiredFiles.cache()) { $1 }
        engine.repository.commit(files)

        try engine.once()

        #expect(engine.host.files.keys.sorted() == ["cache.service"])
    }
}
