import ReconcilerCore
import Testing

/// The planner judges ownership by the file in the configured `unitDirectory`, not by a
/// hard-coded /etc/systemd/system.
struct UnitDirectoryTests {
    private typealias Fixtures = PlanningFixtures
    static let directory = "/run/systemd/system"

    @Test("A leaving unit whose file in unitDirectory is gone is stopped, as it would be under /etc")
    func aLeavingUnitLoadedFromTheUnitDirectoryIsStopped() {
        var observed = Fixtures.converged(Fixtures.blogHost())
        observed.units["proxy.service"] = ObservedUnit(
            name: "proxy.service", loadState: "loaded", activeState: "active", subState: "running",
            fragmentPath: "\(Self.directory)/proxy.service", filePath: "\(Self.directory)/proxy.service")
        var inventory = Fixtures.inventory(Fixtures.blogHost())
        inventory.units.insert("proxy.service")
        let plan = Planner.plan(desired: Fixtures.blogHost(), observed: observed, inventory: inventory)
        #expect(plan.actions.map(\.kind) == [.stop])
    }

    @Test("A refusal names the file in unitDirectory that would override the host's unit")
    func aRefusalNamesTheConfiguredDirectory() throws {
        var observed = ObservedState()
        observed.units["blog.service"] = ObservedUnit(
            name: "blog.service", loadState: "loaded", activeState: "active", unitFileState: "enabled",
            fragmentPath: "/lib/systemd/system/blog.service", filePath: "\(Self.directory)/blog.service")
        let plan = Planner.plan(desired: Fixtures.blogHost(), observed: observed, inventory: Inventory())
        let refusal = try #require(plan.refusals.first)
        #expect(refusal.reason.contains("\(Self.directory)/blog.service would override it"), "\(refusal.reason)")
    }
}
