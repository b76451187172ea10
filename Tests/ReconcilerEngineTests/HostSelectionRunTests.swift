import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// A commit valid for the repository but not for this host is refused before anything is
/// rendered, planned or changed.
struct HostSelectionRunTests {
    static let files = [
        "desired-state/web.yaml": """
        apiVersion: reconciler/v1
        kind: Service
        name: web
        image: {ref: "registry.example/web:1"}
        after: [db]

        """,
        "desired-state/db.yaml": """
        apiVersion: reconciler/v1
        kind: Service
        name: db
        hosts: {names: [db1]}
        image: {ref: "registry.example/db:1"}

        """,
    ]

    @Test("after: naming a service another host gets fails the run for this host and changes nothing")
    func afterNamingAnotherHostsServiceFailsTheRun() throws {
        let engine = EngineFixture(hostName: "web1")
        engine.repository.commit(Self.files)

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .validation)
        #expect(
            error?.message.contains(
                "desired-state/web.yaml:1:1: error: after: names service db, which is not selected for host web1"
                    + " (its hosts: names [db1])") == true, "\(error?.message ?? "")")
        #expect(engine.host.operations.isEmpty, "nothing was changed")
    }
}
