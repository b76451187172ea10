import ReconcilerCore
import Testing

/// A desired unit whose name systemd already knows without any file of ours: implicit slices
/// and scopes, mounts from /proc/self/mountinfo, devices, swap. systemd reports them with an
/// empty fragment path, so "is there a foreign fragment" alone does not see them.
struct SystemKnownUnitTests {
    static let location = SourceLocation(file: "desired-state/units.yaml", line: 1, column: 1)

    static func desired(_ name: String) -> DesiredHost {
        let contents = "[Unit]\nDescription=mine\n"
        let unit = UnitFileRenderer.render(UnitSpec(name: name, contents: contents, location: location))
        return DesiredHost(
            units: [DesiredUnit(name: name, contents: unit.contents, enable: true)], images: [], commit: "")
    }

    static let known: [ObservedUnit] = [
        ObservedUnit(name: "tmp.mount", loadState: "loaded", activeState: "active", subState: "mounted"),
        ObservedUnit(name: "system.slice", loadState: "loaded", activeState: "active", subState: "active"),
        ObservedUnit(name: "user-0.slice", loadState: "loaded", activeState: "active", subState: "active"),
        ObservedUnit(name: "init.scope", loadState: "loaded", activeState: "active", subState: "running"),
        ObservedUnit(name: "dev-sda.device", loadState: "loaded", activeState: "active", subState: "plugged"),
        ObservedUnit(name: "dev-zram0.swap", loadState: "loaded", activeState: "active", subState: "active"),
        ObservedUnit(name: "sys-kernel-debug.mount", loadState: "loaded", activeState: "inactive", subState: "dead"),
    ]

    @Test("a unit systemd knows with no fragment and no inventory record is refused", arguments: known)
    func aUnitSystemdKnowsWithoutAFragmentIsRefused(_ observed: ObservedUnit) {
        let plan = Planner.plan(
            desired: Self.desired(observed.name), observed: ObservedState(units: [observed.name: observed]),
            inventory: Inventory())
        #expect(plan.refusals.map(\.unit) == [observed.name])
        #expect(
            plan.refusals.first?.reason
                == "systemd already knows \(observed.name) (\(observed.loadState), \(observed.activeState)) and"
                + " reconciler did not write it; rename the unit in git")
        #expect(!plan.actions.contains { $0.kind == .writeUnit }, "\(plan.actions)")
    }

    @Test("a unit of ours whose file is gone is not refused: the inventory says it is ours")
    func anInventoryUnitWithoutAFileIsNotRefused() {
        let observed = ObservedUnit(name: "data.mount", loadState: "loaded", activeState: "active")
        let plan = Planner.plan(
            desired: Self.desired("data.mount"), observed: ObservedState(units: ["data.mount": observed]),
            inventory: Inventory(units: ["data.mount"]))
        #expect(plan.refusals.isEmpty)
    }

    @Test("a name systemd does not know is free")
    func anUnknownNameIsFree() {
        let observed = ObservedUnit(name: "data.mount")
        let plan = Planner.plan(
            desired: Self.desired("data.mount"), observed: ObservedState(units: ["data.mount": observed]),
            inventory: Inventory())
        #expect(plan.refusals.isEmpty)
    }
}
