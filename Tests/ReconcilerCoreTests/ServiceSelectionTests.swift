import ReconcilerCore
import Testing

/// `reconciler diff SERVICE…`: only the named services' units, containers and images.
struct ServiceSelectionTests {
    static let desired = DesiredHost(
        units: [
            DesiredUnit(name: "blog.service", contents: "", enable: true, service: "blog", image: "localhost/blog:1"),
            DesiredUnit(name: "api.service", contents: "", enable: true, service: "api", image: "python:3"),
            DesiredUnit(name: "backup.timer", contents: "", enable: true),
        ], images: [], commit: "c1")
    static let inventory = Inventory(units: ["blog.service", "old.service"])

    static let plan = Plan(actions: [
        PlannedAction(.buildImage, "localhost/blog:1", service: "blog", reason: "the image is missing"),
        PlannedAction(.pullImage, "python:3", service: "api", reason: "the image is missing"),
        PlannedAction(.writeUnit, "api.service", service: "api", reason: "the unit differs"),
        PlannedAction(.removeUnit, "old.service", reason: "removed from the desired state"),
        PlannedAction(.daemonReload, "", reason: "unit files changed"),
        PlannedAction(.restart, "api.service", service: "api", reason: "its unit changed"),
        PlannedAction(.restart, "blog.service", service: "blog", reason: "container blog is missing"),
        PlannedAction(.start, "backup.timer", reason: "unit is inactive"),
    ])

    @Test(arguments: [
        (["blog"], ["build-image localhost/blog:1", "restart blog.service"]),
        (["api"], ["pull-image python:3", "write-unit api.service", "daemon-reload", "restart api.service"]),
        (["old.service"], ["remove-unit old.service", "daemon-reload"]),
        (["backup", "blog.service"], ["build-image localhost/blog:1", "restart blog.service", "start backup.timer"]),
    ])
    func onlyTheSelectedServicesActionsRemainInPlanOrder(names: [String], expected: [String]) {
        let selected = ServiceSelection(names: names).plan(Self.plan, desired: Self.desired)
        #expect(
            selected.actions.map { $0.target.isEmpty ? $0.kind.rawValue : "\($0.kind.rawValue) \($0.target)" }
                == expected)
    }

    @Test func refusalsOfOtherUnitsAreLeftOut() {
        let plan = Plan(refusals: [
            Refusal(unit: "api.service", reason: "not ours"), Refusal(unit: "blog.service", reason: "not ours"),
        ])
        #expect(
            ServiceSelection(names: ["blog"]).plan(plan, desired: Self.desired).refusals.map(\.unit) == ["blog.service"]
        )
    }

    @Test func unknownNamesAreFoundAndTheKnownOnesListed() {
        let selection = ServiceSelection(names: ["blog", "blgo", "nginx"])
        #expect(selection.unknownNames(desired: Self.desired, inventory: Self.inventory) == ["blgo", "nginx"])
        #expect(
            ServiceSelection.knownNames(desired: Self.desired, inventory: Self.inventory) == [
                "api", "api.service", "backup", "backup.timer", "blog", "blog.service", "old", "old.service",
            ])
    }
}
