import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// The engine consults the ring gate before it applies a new commit, stays on (and heals)
/// the commit it runs while the gate is closed, and publishes its state after every run.
struct RingGateRunTests {
    func engineInRing1() -> (EngineFixture, FakeFleet) {
        let engine = EngineFixture()
        engine.configuration.fleet = FleetConfiguration(ring: 1)
        let fleet = FakeFleet()
        engine.fleet = fleet
        return (engine, fleet)
    }

    @Test("while the gate is closed the host stays on its commit and heals drift on it; once open it applies")
    func waitsThenApplies() throws {
        let (engine, fleet) = engineInRing1()
        let first = engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        let second = engine.repository.commit(DesiredFiles.blog(version: "2"))
        let wait = RingWait(commit: second, ring: 0, needed: 1)
        fleet.waits[second] = wait
        engine.host.stopBehindOurBack("blog.service")

        let waiting = try engine.once()

        #expect(waiting.waiting == wait)
        #expect(waiting.commit == first)
        #expect(engine.host.isActive("blog.service"), "drift on the running commit is healed while waiting")
        #expect(try engine.store.summary().lastApplied?.commit == first)
        #expect(fleet.published.last?.waiting == second)
        #expect(fleet.published.last?.applied == first)
        #expect(fleet.published.last?.ring == 1)

        fleet.waits[second] = nil
        let promoted = try engine.once()

        #expect(promoted.waiting == nil)
        #expect(promoted.commit == second)
        #expect(try engine.store.summary().lastApplied?.commit == second)
        #expect(fleet.published.last?.waiting == nil)
        #expect(fleet.published.last?.healthy == second)
    }

    @Test("a host with nothing applied waits with nothing done, and records no run")
    func firstCommitWaits() throws {
        let (engine, fleet) = engineInRing1()
        let first = engine.repository.commit(DesiredFiles.blog())
        fleet.waits[first] = RingWait(commit: first, ring: 0, needed: 1)

        let report = try engine.once()

        #expect(report.waiting?.commit == first)
        #expect(report.actions.isEmpty)
        #expect(engine.host.operations.isEmpty)
        #expect(try engine.store.summary().lastApplied == nil)
        #expect(engine.store.runs.isEmpty)
    }

    @Test("the commit the host already runs is never gated: the gate decides promotions, not healing")
    func currentCommitIsNotGated() throws {
        let (engine, fleet) = engineInRing1()
        let first = engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        fleet.waits[first] = RingWait(commit: first, ring: 0, needed: 1)

        let report = try engine.once()

        #expect(report.waiting == nil)
        #expect(fleet.asked == [first])
    }

    @Test("a newer commit supersedes the one still waiting")
    func newerSupersedes() throws {
        let (engine, fleet) = engineInRing1()
        engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        let second = engine.repository.commit(DesiredFiles.blog(version: "2"))
        fleet.waits[second] = RingWait(commit: second, ring: 0, needed: 1)
        #expect(try engine.once().waiting?.commit == second)

        let third = engine.repository.commit(DesiredFiles.blog(version: "3"))
        let report = try engine.once()

        #expect(report.waiting == nil)
        #expect(report.commit == third)
        #expect(fleet.published.last?.waiting == nil)
    }

    @Test("a failed run still publishes the host's state")
    func failedRunPublishes() throws {
        let (engine, fleet) = engineInRing1()
        engine.repository.commit(["desired-state/bad.yaml": "kind: Nonsense\n"])

        #expect(throws: ReconcileError.self) { try engine.once() }
        #expect(fleet.published.count == 1)
    }
}

/// A revert: a new commit whose desired state is what the host already runs.
struct RevertHealthTests {
    @Test("a new commit that changes nothing is marked healthy when every check passes, not when one fails")
    func revertIsHealthy() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        let revert = engine.repository.commit(DesiredFiles.blog(), message: "revert")

        let report = try engine.once()

        #expect(report.actions.isEmpty)
        #expect(try engine.store.summary().lastHealthy?.commit == revert)

        engine.health.fail(.http(url: "http://127.0.0.1:8080/"))
        let another = engine.repository.commit(DesiredFiles.blog(), message: "revert again")
        let failing = try engine.once()
        #expect(failing.unhealthy == ["blog"])
        #expect(try engine.store.summary().lastApplied?.commit == another)
        #expect(try engine.store.summary().lastHealthy?.commit == revert)
    }
}
