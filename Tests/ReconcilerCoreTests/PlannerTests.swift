import ReconcilerCore
import Testing

struct PlannerTests {
    private typealias Fixtures = PlanningFixtures

    static func plan(
        _ desired: DesiredHost, _ observed: ObservedState, _ inventory: Inventory = Inventory(),
        policy: PlanningPolicy = PlanningPolicy()
    ) -> Plan {
        Planner.plan(desired: desired, observed: observed, inventory: inventory, policy: policy)
    }

    @Test(arguments: PlanCase.all.filter { $0.plan.refusals.isEmpty })
    func applyingThePlanLeavesNothingToDoOnTheNextRun(_ planCase: PlanCase) {
        var host = HostSimulation(observed: planCase.observed, inventory: planCase.inventory)
        host.apply(planCase.plan, desired: planCase.desired)
        let next = Planner.plan(
            desired: planCase.desired, observed: host.observed, inventory: host.inventory, policy: planCase.policy)
        #expect(next == Plan(), "\(next.actions)")
    }

    @Test func aConvergedHostHasAnEmptyPlan() {
        #expect(PlanCase.inSync.plan == Plan())
        #expect(PlanCase.inSync.plan.isEmpty)
    }

    static let driftOfTheBlog: [(PlanCase, PlannedAction)] = [
        (.stoppedUnit, PlannedAction(.start, "blog.service", service: "blog", reason: "unit is inactive")),
        (.failedUnit, PlannedAction(.start, "blog.service", service: "blog", reason: "unit is failed")),
        (
            .containerMissing,
            PlannedAction(.restart, "blog.service", service: "blog", reason: "container blog is missing")
        ),
        (
            .containerOnWrongImage,
            PlannedAction(
                .restart, "blog.service", service: "blog",
                reason: "container blog runs image \(Fixtures.imageID("an older build of the blog").prefix(12)), "
                    + "localhost/reconciler/blog:\(Fixtures.firstTree) is "
                    + "\(Fixtures.imageID("localhost/reconciler/blog:\(Fixtures.firstTree)").prefix(12))")
        ),
    ]

    @Test(arguments: driftOfTheBlog)
    func oneActionFixesEachKindOfRuntimeDrift(_ planCase: PlanCase, expected: PlannedAction) {
        #expect(planCase.plan == Plan(actions: [expected]))
    }

    @Test func imagesAreBuiltBeforeAnythingStops() {
        let proxy = Fixtures.pulled("proxy", "docker.io/library/nginx:1.27")
        let before = Fixtures.host(services: [Fixtures.blog, proxy])
        let after = Fixtures.host(services: [Fixtures.blog], commit: Fixtures.secondCommit, tree: Fixtures.secondTree)
        let kinds = Self.plan(after, Fixtures.converged(before), Fixtures.inventory(before)).actions.map(\.kind)
        #expect(kinds.prefix(2) == [.buildImage, .stop])
    }

    @Test func actionsNameTheirServiceAndLeavingUnitsNone() {
        let actions = PlanCase.serviceRemoved.plan.actions + PlanCase.appChanged.plan.actions
        for action in actions {
            switch (action.kind, action.target) {
            case (.daemonReload, _), (_, "proxy.service"): #expect(action.service == nil, "\(action)")
            default: #expect(action.service == "blog", "\(action)")
            }
        }
    }

    @Test func refusedPlansStillListTheActionsTheyHoldBack() {
        let plan = PlanCase.everyUnitRemovedRefused.plan
        #expect(plan.refusals.map(\.unit) == ["*"])
        #expect(plan.actions == PlanCase.everyUnitRemovedAllowed.plan.actions)
        #expect(plan.actions.count { $0.kind == .removeUnit } == 3)
    }

    @Test func aRefusedServiceGetsNoActionsNotEvenItsImage() {
        let plan = PlanCase.foreignFileClash.plan
        #expect(plan.refusals.map(\.unit) == ["blog.service"])
        #expect(
            !plan.actions.contains { $0.target == "blog.service" || $0.service == "blog" || $0.kind == .buildImage })
    }

    @Test func aLeavingUnitWhoseFileIsGoneIsOnlyStopped() {
        var observed = Fixtures.converged(Fixtures.blogHost())
        observed.units["proxy.service"] = ObservedUnit(
            name: "proxy.service", loadState: "not-found", activeState: "active", subState: "running")
        let inventory = Fixtures.inventory(Fixtures.blogHost()).inserting("proxy.service")
        let plan = Self.plan(Fixtures.blogHost(), observed, inventory)
        #expect(plan.actions.map(\.kind) == [.stop])
        #expect(plan.actions.first?.reason.hasSuffix("its file is already gone") == true)
    }

    @Test func aLeavingUnitNowLoadedFromAPackageIsLeftAlone() {
        var observed = Fixtures.converged(Fixtures.blogHost())
        observed.units["nginx.service"] = ObservedUnit(
            name: "nginx.service", loadState: "loaded", activeState: "active", unitFileState: "enabled",
            fragmentPath: "/lib/systemd/system/nginx.service")
        let inventory = Fixtures.inventory(Fixtures.blogHost()).inserting("nginx.service")
        #expect(Self.plan(Fixtures.blogHost(), observed, inventory).isEmpty)
    }

    /// As after a run that died between writing the file and reloading systemd.
    @Test func aFileSystemdHasNotLoadedIsReloadedAndItsRunningUnitRestarted() {
        var observed = Fixtures.converged(Fixtures.blogHost())
        observed.units["blog.service"]?.needsDaemonReload = true
        observed.units["blog-backup.service"]?.needsDaemonReload = true
        let plan = Self.plan(Fixtures.blogHost(), observed, Fixtures.inventory(Fixtures.blogHost()))
        #expect(
            plan.actions == [
                PlannedAction(
                    .daemonReload, "",
                    reason: "systemd has not loaded the current file of blog-backup.service, blog.service"),
                PlannedAction(
                    .restart, "blog.service", service: "blog", reason: "it runs an older load of its unit file"),
            ])
    }

    /// As after a run killed right after queueing the start job, or a service that crashed and
    /// waits to be restarted: "activating" is not running yet.
    @Test(arguments: ["start", "auto-restart"])
    func aUnitStillActivatingIsStartedSoTheRunWaitsForIt(subState: String) {
        var observed = Fixtures.converged(Fixtures.blogHost())
        observed.units["blog.service"]?.activeState = "activating"
        observed.units["blog.service"]?.subState = subState
        let plan = Self.plan(Fixtures.blogHost(), observed, Fixtures.inventory(Fixtures.blogHost()))
        #expect(
            plan.actions == [
                PlannedAction(.start, "blog.service", service: "blog", reason: "unit is activating (\(subState))")
            ])
    }

    @Test func aFreshHostReloadsSystemdExactlyOnce() {
        #expect(PlanCase.freshHost.plan.actions.count { $0.kind == .daemonReload } == 1)
    }

    @Test func aDesiredUnitWithoutInstallSectionIsStartedButNotEnabled() {
        let oneshot = UnitSpec(
            name: "hello.service", contents: "[Service]\nType=oneshot\nExecStart=/bin/true\n",
            location: SourceLocation(file: "desired-state/hello.yaml", line: 1, column: 1))
        let plan = Self.plan(Fixtures.host(services: [], units: [oneshot]), ObservedState())
        #expect(plan.actions.map(\.kind) == [.writeUnit, .daemonReload, .start])
    }

    @Test func anEnabledUnitTheDesiredStateDoesNotEnableIsDisabled() {
        var observed = Fixtures.converged(Fixtures.blogHost())
        observed.units["blog-backup.service"]?.unitFileState = "enabled"
        let plan = Self.plan(Fixtures.blogHost(), observed, Fixtures.inventory(Fixtures.blogHost()))
        #expect(
            plan.actions == [
                PlannedAction(.disable, "blog-backup.service", reason: "the desired state has enable: false")
            ])
    }

    @Test func dockerImageIDsWithTheirDigestPrefixMatchPodmanStyleIDs() {
        let desired = Fixtures.blogHost()
        var observed = Fixtures.converged(desired)
        let podmanStyle = observed.containers["blog"]?.imageID ?? ""
        observed.containers["blog"]?.imageID = "sha256:" + podmanStyle
        #expect(Self.plan(desired, observed, Fixtures.inventory(desired)).isEmpty)
    }

    @Test func anImageTwoServicesShareIsPulledOnce() {
        let desired = Fixtures.host(services: [
            Fixtures.pulled("a", "docker.io/library/redis:7"), Fixtures.pulled("b", "docker.io/library/redis:7"),
        ])
        #expect(Self.plan(desired, ObservedState()).actions.count { $0.kind == .pullImage } == 1)
    }

    @Test func timersStartAfterTheServicesAndStopBeforeThem() {
        let starts = PlanCase.freshHost.plan.actions.filter { $0.kind == .start }.map(\.target)
        #expect(starts == ["blog.service", "blog-backup.timer"])
        let stops = PlanCase.everyUnitRemovedAllowed.plan.actions.filter { $0.kind == .stop }.map(\.target)
        #expect(stops == ["blog-backup.timer", "blog.service"])
    }

    @Test func anOrderingCycleStillGivesEveryUnitInNameOrder() {
        let units = ["c", "b", "a"].map { name in
            DesiredUnit(
                name: "\(name).service", contents: "[Service]\nExecStart=/bin/\(name)\n", enable: true,
                after: [name == "a" ? "c.service" : name == "b" ? "a.service" : "b.service"])
        }
        let plan = Self.plan(DesiredHost(units: units, images: [], commit: ""), ObservedState())
        #expect(plan.actions.filter { $0.kind == .start }.map(\.target) == ["a.service", "b.service", "c.service"])
    }

    @Test func afterAcceptsABareServiceName() {
        var desired = Fixtures.host(services: PlanCase.orderedServices)
        for index in desired.units.indices {
            desired.units[index].after = desired.units[index].after.map { String($0.dropLast(".service".count)) }
        }
        let starts = Self.plan(desired, ObservedState()).actions.filter { $0.kind == .start }.map(\.target)
        #expect(starts == ["db.service", "api.service", "web.service"])
    }

    @Test func thePlanDoesNotDependOnTheOrderOfItsInputs() {
        var shuffled = PlanCase.serviceRemoved
        shuffled.desired.units.reverse()
        shuffled.desired.images.reverse()
        #expect(shuffled.plan == PlanCase.serviceRemoved.plan)
        var ordered = PlanCase.afterOrdering
        ordered.desired.units.reverse()
        #expect(ordered.plan == PlanCase.afterOrdering.plan)
    }

    @Test func aMissingFileOfAnOwnedUnitIsWrittenAgain() {
        let desired = Fixtures.blogHost()
        var observed = Fixtures.converged(desired)
        observed.units["blog-backup.timer"]?.fileContents = nil
        observed.units["blog-backup.timer"]?.needsDaemonReload = true
        let plan = Self.plan(desired, observed, Fixtures.inventory(desired))
        #expect(
            plan.actions.first == PlannedAction(.writeUnit, "blog-backup.timer", reason: "the unit file is missing"))
        #expect(plan.actions.map(\.kind) == [.writeUnit, .daemonReload, .restart])
    }
}

extension Inventory {
    fileprivate func inserting(_ unit: String) -> Inventory {
        var copy = self
        copy.units.insert(unit)
        return copy
    }
}
