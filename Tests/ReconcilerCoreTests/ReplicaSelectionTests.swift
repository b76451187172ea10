import ReconcilerCore
import ReconcilerTesting
import Testing

/// `reconciler diff blog` for a replicated blog: the group's name selects every instance (and
/// its image, files and a leaving instance), an instance's name selects that one only.
struct ReplicaSelectionTests {
    /// `blog` with `count` instances on `version`, each reading site.conf, beside a single
    /// service `blog-db` whose name looks like an instance's but is not one.
    static func host(count: Int, version: String, database: String) -> DesiredHost {
        let ports = (1...count).map { "\"127.0.0.1:\(8000 + $0):8080\"" }.joined(separator: ", ")
        let tree = InMemoryTree([
            "desired-state/blog.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: blog
            image: {ref: "registry.example/blog:\(version)"}
            replicas: {count: \(count), ports: [\(ports)]}
            health: {http: "http://127.0.0.1:{port}/healthz"}
            files:
              - {source: desired-state/site.conf, target: /etc/blog/site.conf}

            """,
            "desired-state/site.conf": "version \(version)\n",
            "desired-state/blog-db.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: blog-db
            image: {ref: "registry.example/postgres:\(database)"}

            """,
        ])
        // A fixture that fails to load is a broken test: an empty host selects nothing.
        guard let state = DesiredStateLoader.load(from: tree).state,
            let host = try? DesiredHostBuilder(runtime: .podman).build(
                state, tree: tree, commit: PlanningFixtures.firstCommit)
        else { return DesiredHost(units: [], images: [], commit: "") }
        return host
    }

    /// From 3 instances of blog 1.4 and postgres 15 to 2 instances of blog 1.5 and postgres 16.
    static let before = host(count: 3, version: "1.4", database: "15")
    static let after = host(count: 2, version: "1.5", database: "16")
    static let inventory = PlanningFixtures.inventory(before)
    static let plan = Planner.plan(
        desired: after, observed: PlanningFixtures.converged(before), inventory: inventory)

    static let files = "/var/lib/reconciler/files"

    @Test(
        "a replicated service's name selects every instance; an instance's name selects one",
        arguments: [
            (
                ["blog"],
                [
                    "pull-image registry.example/blog:1.5", "stop blog-3.service", "disable blog-3.service",
                    "write-file \(files)/blog-1/etc+blog/site.conf", "write-file \(files)/blog-2/etc+blog/site.conf",
                    "remove-file \(files)/blog-3/etc+blog/site.conf", "write-unit blog-1.service",
                    "write-unit blog-2.service", "remove-unit blog-3.service", "daemon-reload",
                    "restart blog-1.service", "restart blog-2.service",
                ]
            ),
            (
                ["blog-2"],
                [
                    "pull-image registry.example/blog:1.5", "write-file \(files)/blog-2/etc+blog/site.conf",
                    "write-unit blog-2.service", "daemon-reload", "restart blog-2.service",
                ]
            ),
            (
                ["blog-3.service"],
                [
                    "stop blog-3.service", "disable blog-3.service", "remove-unit blog-3.service", "daemon-reload",
                ]
            ),
            (
                ["blog-db"],
                [
                    "pull-image registry.example/postgres:16", "write-unit blog-db.service", "daemon-reload",
                    "restart blog-db.service",
                ]
            ),
        ])
    func selectsInstancesByGroup(names: [String], expected: [String]) {
        let selected = ServiceSelection(names: names).plan(Self.plan, desired: Self.after)
        #expect(
            selected.actions.map { $0.target.isEmpty ? $0.kind.rawValue : "\($0.kind.rawValue) \($0.target)" }
                == expected)
    }

    @Test("a selected instance keeps its place in the rolling update of the whole plan")
    func selectedStepKeepsItsNumber() {
        let selected = ServiceSelection(names: ["blog-2"]).plan(Self.plan, desired: Self.after)
        let restart = selected.actions.first { $0.kind == .restart }
        #expect(restart?.rolling == RollingStep(group: "blog", step: 2, steps: 2))
    }

    @Test("the group's name is known, so only a misspelt name is refused, and listed among the known")
    func groupNamesAreKnown() {
        let selection = ServiceSelection(names: ["blog", "blog-1", "blgo"])
        #expect(selection.unknownNames(desired: Self.after, inventory: Self.inventory) == ["blgo"])
        #expect(
            ServiceSelection.knownNames(desired: Self.after, inventory: Self.inventory) == [
                "blog", "blog-1", "blog-1.service", "blog-2", "blog-2.service", "blog-3", "blog-3.service", "blog-db",
                "blog-db.service",
            ])
    }

    @Test(
        "a unit leaving the desired state belongs to a group only if its name is an instance's of a service still there",
        arguments: [
            ("blog-3.service", ["blog"]),
            ("blog-10.service", []),
            ("blog-03.service", []),
            ("blog-db.service", []),
            ("web-2.service", []),
            ("blog-3.timer", []),
        ])
    func leavingUnitsOfAGroup(unit: String, selectedBy: [String]) {
        let plan = Plan(actions: [PlannedAction(.stop, unit, reason: "not in the desired state")])
        let selecting = ["blog", "web"].filter {
            !ServiceSelection(names: [$0]).plan(plan, desired: Self.after).actions.isEmpty
        }
        #expect(selecting == selectedBy)
    }
}
