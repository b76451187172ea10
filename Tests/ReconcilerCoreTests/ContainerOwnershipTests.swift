import ReconcilerCore
import Testing

/// A container named like a service but not made by reconciler is someone else's: the plan is
/// refused, and the rendered unit can never remove or replace it.
struct ContainerOwnershipTests {
    private typealias Fixtures = PlanningFixtures

    static let foreign = ObservedContainer(name: "blog", imageID: "f00d", running: true, owned: false)

    /// A new host, and a host where the blog ran until someone replaced its container by hand.
    static let hosts: [(String, ObservedState, Inventory)] = [
        ("new host", ObservedState(containers: ["blog": foreign]), Inventory()),
        (
            "stopped blog",
            {
                var observed = Fixtures.converged(Fixtures.blogHost())
                observed.units["blog.service"]?.activeState = "inactive"
                observed.containers["blog"] = foreign
                return observed
            }(), Fixtures.inventory(Fixtures.blogHost())
        ),
    ]

    @Test("a foreign container named like a desired service refuses the commit, naming the container", arguments: hosts)
    func aForeignContainerRefusesTheCommit(_ name: String, _ observed: ObservedState, _ inventory: Inventory) {
        let plan = Planner.plan(desired: Fixtures.blogHost(), observed: observed, inventory: inventory)

        #expect(
            plan.refusals == [
                Refusal(
                    unit: "blog.service",
                    reason: "a container named blog exists that reconciler did not create (no io.reconciler.service "
                        + "label); rename the service or remove the container by hand")
            ])
        #expect(!plan.actions.contains { $0.service == "blog" || $0.target == "blog.service" })
    }

    @Test("a container of ours, running or left over, is no refusal")
    func ourContainerIsNoRefusal() {
        var observed = Fixtures.converged(Fixtures.blogHost())
        observed.containers["blog"]?.running = false

        let plan = Planner.plan(
            desired: Fixtures.blogHost(), observed: observed, inventory: Fixtures.inventory(Fixtures.blogHost()))

        #expect(plan.refusals.isEmpty)
    }

    @Test(
        "no line of a rendered unit can remove or replace a container only by its name",
        arguments: ContainerRuntime.allCases)
    func unitsTouchOnlyLabelledContainers(_ runtime: ContainerRuntime) throws {
        let unit = ServiceRenderer(runtime: runtime).render(Fixtures.blog, image: "localhost/reconciler/blog:0a1b")
        let exec = unit.contents.split(separator: "\n").filter { $0.hasPrefix("Exec") }

        #expect(!unit.contents.contains("--replace"))
        let removals = exec.filter { $0.contains(" rm ") || $0.contains(" prune ") }
        #expect(!removals.isEmpty)
        for line in removals {
            // Either the cidfile of the container this unit started, or our label.
            #expect(
                line.contains("--cidfile=%t/%N.cid") || line.contains("--filter label=io.reconciler.service=blog"),
                "\(line)")
        }
        #expect(exec.contains { $0.contains("--label io.reconciler.service=blog") })
    }
}
