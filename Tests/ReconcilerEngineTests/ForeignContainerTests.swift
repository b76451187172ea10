import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// A container someone else made under a desired service's name stops the run before it
/// writes anything, and is left running.
struct ForeignContainerTests {
    @Test("a foreign container named like a service refuses the commit and is left running")
    func aForeignContainerIsRefusedAndKept() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog())
        engine.host.addForeignContainer("blog")

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .refused)
        #expect(
            error?.message.contains(
                "a container named blog exists that reconciler did not create (no io.reconciler.service label); "
                    + "rename the service or remove the container by hand") == true)
        #expect(engine.host.files.isEmpty)
        #expect(!engine.host.operations.contains { $0.hasPrefix("build") || $0.hasPrefix("start") })
        #expect(
            engine.host.container("blog")
                == ObservedContainer(name: "blog", imageID: "foreign", running: true, owned: false))
    }
}
