import ReconcilerCore
import Testing

/// One host situation the planner must handle, with its golden report in Fixtures/plans.
struct PlanCase: Sendable, CustomTestStringConvertible {
    var name: String
    var desired: DesiredHost
    var observed: ObservedState
    var inventory: Inventory
    var policy = PlanningPolicy()

    var testDescription: String { name }

    var plan: Plan { Planner.plan(desired: desired, observed: observed, inventory: inventory, policy: policy) }
}

extension PlanCase {
    private typealias Fixtures = PlanningFixtures

    static let all: [PlanCase] = [
        freshHost, inSync, appChanged, handEditedUnitFile, stoppedUnit, failedUnit, containerMissing,
        containerOnWrongImage, serviceRemoved, orderedServicesRemoved, everyUnitRemovedRefused,
        everyUnitRemovedAllowed, foreignFileClash, foreignFragmentClash, foreignUnitsIgnored, afterOrdering,
        disabledUnitNotStarted, fileChangedReloads, fileChangedWithoutReloadRestarts, unitChangedRestarts,
        fileAndUnitChangedRestartOnce, fileRemovedReloads, serviceWithFilesRemoved, fileModeChanged,
        fileOfStoppedUnitChanged, plainUnitFileChangedReloads, plainUnitFileChangedWithoutExecReloadRestarts,
    ]

    /// A host that has never run the reconciler.
    static let freshHost = PlanCase(
        name: "fresh-host", desired: Fixtures.blogHost(), observed: ObservedState(), inventory: Inventory())

    static let inSync = converged(name: "in-sync") { _ in }

    /// A commit changed the app: its build context has a new tree, so a new image tag.
    static let appChanged: PlanCase = {
        let before = Fixtures.blogHost()
        return PlanCase(
            name: "app-changed", desired: Fixtures.blogHost(commit: Fixtures.secondCommit, tree: Fixtures.secondTree),
            observed: Fixtures.converged(before), inventory: Fixtures.inventory(before))
    }()

    /// Someone edited blog.service on the host and did not reload systemd.
    static let handEditedUnitFile = converged(name: "hand-edited-unit-file") { observed in
        let file = observed.units["blog.service"]?.fileContents ?? ""
        observed.units["blog.service"]?.fileContents = file.replacing(
            "Restart=always\nRestartSec=5s\n", with: "Restart=no\nRestartSec=5s\nTimeoutStartSec=900\n")
        observed.units["blog.service"]?.needsDaemonReload = true
    }

    static let stoppedUnit = converged(name: "stopped-unit") { observed in
        observed.units["blog.service"]?.activeState = "inactive"
        observed.units["blog.service"]?.subState = "dead"
        observed.containers["blog"] = nil
    }

    static let failedUnit = converged(name: "failed-unit") { observed in
        observed.units["blog.service"]?.activeState = "failed"
        observed.units["blog.service"]?.subState = "failed"
        observed.containers["blog"] = nil
    }

    /// The unit runs but its container is gone (`podman rm -f blog` by hand).
    static let containerMissing = converged(name: "container-missing") { observed in
        observed.containers["blog"] = nil
    }

    /// The container still runs the image the tag pointed to before a rebuild.
    static let containerOnWrongImage = converged(name: "container-on-wrong-image") { observed in
        observed.containers["blog"]?.imageID = Fixtures.imageID("an older build of the blog")
    }

    /// A commit removed the proxy service; the blog stays.
    static let serviceRemoved: PlanCase = {
        let proxy = Fixtures.pulled("proxy", "docker.io/library/nginx:1.27")
        let before = Fixtures.host(
            services: [Fixtures.blog, proxy], units: [Fixtures.backupService, Fixtures.backupTimer])
        return PlanCase(
            name: "service-removed", desired: Fixtures.blogHost(commit: Fixtures.secondCommit),
            observed: Fixtures.converged(before), inventory: Fixtures.inventory(before))
    }()

    /// Three ordered services leave: they stop in the reverse of their start order.
    static let orderedServicesRemoved: PlanCase = {
        let before = Fixtures.host(services: [Fixtures.blog] + orderedServices)
        return PlanCase(
            name: "ordered-services-removed",
            desired: Fixtures.host(services: [Fixtures.blog], commit: Fixtures.secondCommit),
            observed: Fixtures.converged(before), inventory: Fixtures.inventory(before))
    }()

    static let everyUnitRemovedRefused = PlanCase(
        name: "every-unit-removed-refused", desired: Fixtures.host(services: [], commit: Fixtures.secondCommit),
        observed: Fixtures.converged(Fixtures.blogHost()), inventory: Fixtures.inventory(Fixtures.blogHost()))

    static let everyUnitRemovedAllowed: PlanCase = {
        var allowed = everyUnitRemovedRefused
        allowed.name = "every-unit-removed-allowed"
        allowed.policy = PlanningPolicy(allowRemovingEveryUnit: true)
        return allowed
    }()

    /// The push-based setup this replaces left its own blog.service in /etc/systemd/system.
    static let foreignFileClash = PlanCase(
        name: "foreign-file-clash", desired: Fixtures.blogHost(),
        observed: ObservedState(
            units: [
                "blog.service": ObservedUnit(
                    name: "blog.service", loadState: "loaded", activeState: "active", subState: "running",
                    unitFileState: "enabled", fragmentPath: "/etc/systemd/system/blog.service",
                    fileContents: "[Unit]\nDescription=Blog (Ansible managed)\n\n[Service]\n"
                        + "ExecStart=/usr/bin/docker run --rm --name blog -p 8080:8080 blog:latest\n\n"
                        + "[Install]\nWantedBy=multi-user.target\n")
            ],
            containers: [
                "blog": ObservedContainer(name: "blog", imageID: Fixtures.imageID("blog:latest"), running: true)
            ]
        ),
        inventory: Inventory())

    /// A new service named like the Debian package's nginx.service.
    static let foreignFragmentClash: PlanCase = {
        let before = Fixtures.blogHost()
        var observed = Fixtures.converged(before)
        observed.units["nginx.service"] = ObservedUnit(
            name: "nginx.service", loadState: "loaded", activeState: "active", subState: "running",
            unitFileState: "enabled", fragmentPath: "/lib/systemd/system/nginx.service")
        let desired = Fixtures.host(
            services: [Fixtures.blog, Fixtures.pulled("nginx", "docker.io/library/nginx:1.27")],
            units: [Fixtures.backupService, Fixtures.backupTimer], commit: Fixtures.secondCommit)
        return PlanCase(
            name: "foreign-fragment-clash", desired: desired, observed: observed,
            inventory: Fixtures.inventory(before))
    }()

    /// A package's unit the reconciler never wrote, and a unit of ours an admin replaced.
    static let foreignUnitsIgnored = converged(name: "foreign-units-ignored") { observed in
        observed.units["postgresql.service"] = ObservedUnit(
            name: "postgresql.service", loadState: "loaded", activeState: "active", subState: "exited",
            unitFileState: "enabled", fragmentPath: "/lib/systemd/system/postgresql.service")
        observed.units["old-app.service"] = ObservedUnit(
            name: "old-app.service", loadState: "loaded", activeState: "active", subState: "running",
            unitFileState: "enabled", fragmentPath: "/etc/systemd/system/old-app.service",
            fileContents: "[Unit]\nDescription=Replaced by hand\n\n[Service]\nExecStart=/usr/local/bin/old-app\n")
    } inventory: { inventory in
        inventory.units.insert("old-app.service")
    }

    /// api after db, web after api: topological order differs from name order.
    static let orderedServices = [
        Fixtures.pulled("api", "registry.example/api:3", after: ["db"]),
        Fixtures.pulled("db", "registry.example/db:16"),
        Fixtures.pulled("web", "registry.example/web:2", after: ["api"]),
    ]

    static let afterOrdering = PlanCase(
        name: "after-ordering", desired: Fixtures.host(services: orderedServices), observed: ObservedState(),
        inventory: Inventory())

    /// A commit changes the backup job, which only its timer starts.
    static let disabledUnitNotStarted: PlanCase = {
        let before = Fixtures.blogHost()
        var backup = Fixtures.backupService
        backup.contents = backup.contents.replacing("flaskr.backup", with: "flaskr.backup --keep 14")
        let desired = Fixtures.host(
            services: [Fixtures.blog], units: [backup, Fixtures.backupTimer], commit: Fixtures.secondCommit)
        return PlanCase(
            name: "disabled-unit-not-started", desired: desired, observed: Fixtures.converged(before),
            inventory: Fixtures.inventory(before))
    }()

    /// The blog host, converged, then changed by `change`.
    private static func converged(
        name: String, _ change: (inout ObservedState) -> Void,
        inventory changeInventory: (inout Inventory) -> Void = { _ in }
    ) -> PlanCase {
        let desired = Fixtures.blogHost()
        var observed = Fixtures.converged(desired)
        change(&observed)
        var inventory = Fixtures.inventory(desired)
        changeInventory(&inventory)
        return PlanCase(name: name, desired: desired, observed: observed, inventory: inventory)
    }
}
