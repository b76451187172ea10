import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// `reconciler suspend` holds a host still: runs observe and report, and change nothing.
struct SuspendTests {
    @Test("a suspended host reports drift and does not heal it, until it is resumed")
    func suspendedHostDoesNotHeal() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        try engine.once()
        try engine.reconciliation().suspend(reason: "incident 42")
        engine.host.stopBehindOurBack("blog.service")
        engine.host.clearOperations()
        let runs = engine.store.runs.count

        let suspended = try engine.once()

        #expect(suspended.suspended == "incident 42")
        #expect(suspended.actions.map(\.target) == ["blog.service"])
        #expect(engine.host.operations.isEmpty)
        #expect(!engine.host.isActive("blog.service"))
        #expect(engine.store.runs.count == runs, "a suspended run records nothing")
        #expect(try engine.store.summary().suspended?.message == "incident 42")

        // A new commit is not applied either.
        engine.repository.commit(DesiredFiles.blog(version: "2"))
        #expect(try engine.once().suspended != nil)
        #expect(engine.host.operations.isEmpty)

        #expect(try engine.reconciliation().resume())
        #expect(try engine.reconciliation().resume() == false)
        let resumed = try engine.once()
        #expect(resumed.suspended == nil)
        #expect(engine.host.isActive("blog.service"))
        #expect(try engine.store.summary().suspended == nil)
    }
}
