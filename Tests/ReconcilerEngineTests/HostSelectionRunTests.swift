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

    static let labelled = [
        "desired-state/blog-web.yaml": """
        apiVersion: reconciler/v1
        kind: Service
        name: blog
        hosts: {labels: {web: blog}}
        image: {ref: "registry.example/blog:1"}

        """,
        "desired-state/blog-db.yaml": """
        apiVersion: reconciler/v1
        kind: Service
        name: blog-db
        hosts: {labels: {db: blog}}
        image: {ref: "registry.example/postgres:16"}

        """,
    ]

    @Test("a host whose labels select no document fails the run, naming the selectors, and changes nothing until fixed")
    func noMatchingLabelsFailsTheRun() throws {
        let engine = EngineFixture(hostName: "web9")
        engine.configuration.labels = ["web": "shop"]
        engine.repository.commit(Self.labelled)

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .validation)
        #expect(
            error?.message.contains(
                "gives this host nothing, so nothing was changed: no document selects host web9 (labels web=shop);"
                    + " documents select labels db=blog (desired-state/blog-db.yaml); labels web=blog"
                    + " (desired-state/blog-web.yaml)") == true, "\(error?.message ?? "")")
        #expect(engine.host.operations.isEmpty, "nothing was changed")

        // The refusal leaves nothing behind: with the label fixed, the same commit deploys.
        engine.configuration.labels = ["web": "blog"]
        let report = try engine.once()
        #expect(report.actions.contains { $0.target == "blog.service" }, "\(report.actions)")
    }

    @Test("with allowEmpty a host no document selects converges on nothing")
    func allowEmptyRunsNothing() throws {
        let engine = EngineFixture(hostName: "web9")
        engine.configuration.allowEmpty = true
        engine.repository.commit(Self.labelled)

        let report = try engine.once()

        #expect(report.actions.isEmpty)
        #expect(engine.host.operations.isEmpty)
    }

    @Test("the label selects the host's own services only")
    func labelSelectsItsServices() throws {
        let engine = EngineFixture(hostName: "db1")
        engine.configuration.labels = ["db": "blog"]
        engine.repository.commit(Self.labelled)

        let report = try engine.once()

        #expect(Set(report.actions.map(\.target)).isSuperset(of: ["blog-db.service"]))
        #expect(!report.actions.contains { $0.target.hasPrefix("blog.") })
    }
}
