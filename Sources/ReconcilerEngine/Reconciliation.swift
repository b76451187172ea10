public import Logging
public import ReconcilerCore

/// One look at the host against the newest desired state: everything `diff` shows and
/// `once` acts on.
public struct Assessment: Sendable {
    public var commit: Revision
    public var change: SourceUpdate.Change
    public var desired: DesiredHost
    public var observed: ObservedState
    public var inventory: Inventory
    public var plan: Plan
    /// The health check of every desired service that has one, by service name.
    public var healthChecks: [(String, HealthCheck)]
    /// The newest commit, when it is held back because it is quarantined (then `commit` is
    /// the last healthy one, or the quarantined one when none was healthy).
    public var heldBack: String?
    /// Why the newest commit is not applied yet: this host's ring waits for the ring below
    /// (then `commit` is the one the host runs).
    public var waiting: RingWait?
    /// Instances of replicated services updated one at a time (`update: rolling`).
    public var rollingServices: Set<String> = []
    /// Services whose health check failed one probe, with why (filled by `diff`).
    public var unhealthy: [UnhealthyService] = []
}

/// A service whose health check fails now.
public struct UnhealthyService: Sendable, Equatable, Codable {
    public var service: String
    public var detail: String
}

/// The orchestration of a run: fetch, validate, render, observe, plan, and for `once`
/// apply, verify health and record. Pure decisions live in ReconcilerCore; this type moves
/// data between the ports and the planner, and logs every decision.
public final class Reconciliation {
    public let configuration: HostConfiguration
    let ports: EnginePorts
    let logger: Logger
    /// Called as a run makes progress (each action), for the agent's watchdog.
    public var progress: (@Sendable () -> Void)?
    private var openedSource: (any DesiredStateSource)?
    private var openedStore: (any RunStore)?
    /// The last commit's validated desired state: a commit id names its tree, so an idle poll
    /// of the same commit reuses it instead of parsing every YAML file again (about a sixth
    /// of an idle agent's CPU, profiled).
    private var loaded: (commit: String, load: DesiredStateLoad)?
    /// What the current run did, for its outcome.
    let tally = RunTally()
    /// The last ring wait, published with the host's report until the gate opens.
    var fleetWaiting: RingWait?

    public init(configuration: HostConfiguration, ports: EnginePorts, logger: Logger) {
        self.configuration = configuration
        self.ports = ports
        self.logger = logger
    }

    /// The state store, opened on first use and kept.
    func store() throws(ReconcileError) -> any RunStore {
        if let openedStore { return openedStore }
        do {
            let store = try ports.store()
            openedStore = store
            return store
        } catch {
            throw ReconcileError(.store, "cannot open the state store: \(error)")
        }
    }

    /// The desired-state source, opened on first use and kept.
    func source() throws(ReconcileError) -> any DesiredStateSource {
        if let openedSource { return openedSource }
        guard configuration.repository.url != nil else {
            throw ReconcileError(
                .configuration,
                "no repository is configured: set repository.url in \(HostConfiguration.defaultPath) or pass --repo URL"
            )
        }
        do {
            let source = try ports.source()
            openedSource = source
            return source
        } catch let error as ReconcileError {
            throw error
        } catch {
            throw ReconcileError(.configuration, "\(error)")
        }
    }

    /// Fetches, validates and renders the newest commit, observes the host and plans. A
    /// quarantined commit (it failed after changing the host) is not tried again: until a
    /// newer one arrives or an operator retries it, the host is held to (and healed towards)
    /// the last healthy commit, or, with none, kept free of the units the failure left.
    func assess(
        source: any DesiredStateSource, store: any RunStore, summary: StoreSummary
    ) throws(ReconcileError) -> Assessment {
        let update: SourceUpdate
        do {
            update = try source.update(lastAccepted: summary.lastApplied?.commit)
        } catch {
            throw ReconcileError(.source, "\(error)")
        }
        let commit = update.commit.id
        if update.fetched {
            logger.info(
                "fetched \(commit.prefix(12))",
                metadata: ["commit": "\(commit)", "summary": "\(update.commit.summary)"])
        }
        guard summary.isQuarantined(commit) else {
            if let wait = ringWait(for: commit, summary: summary) {
                return try assessWaiting(wait, newest: update.commit, source: source, store: store, summary: summary)
            }
            var assessment = try assess(revision: update.commit, source: source, store: store)
            assessment.change = update.change
            return assessment
        }
        if let healthy = summary.lastHealthy?.commit, healthy != commit, !summary.isQuarantined(healthy) {
            logger.debug(
                "commit \(commit.prefix(12)) is quarantined; staying on \(healthy.prefix(12)) until a newer commit arrives or `reconciler retry`",
                metadata: ["commit": "\(commit)", "healthy": "\(healthy)"])
            var assessment = try assess(
                revision: try revision(healthy, in: source), source: source, store: store, knownGood: true)
            assessment.heldBack = commit
            return assessment
        }
        // No healthy release to go back to: the host keeps none of the units a failed release
        // added (a rollback that was interrupted is finished here).
        var assessment = try assess(revision: update.commit, source: source, store: store)
        assessment.heldBack = commit
        assessment.plan = removalPlan(units: assessment.inventory.units, observed: assessment.observed)
        return assessment
    }

    /// Stops, disables and deletes `units` (owned ones only), as a failed first release leaves.
    func removalPlan(units: Set<String>, observed: ObservedState) -> Plan {
        Planner.plan(
            desired: DesiredHost(units: [], images: [], commit: ""), observed: observed,
            inventory: Inventory(units: units, images: []), policy: PlanningPolicy(allowRemovingEveryUnit: true))
    }

    func readSummary(_ store: any RunStore) throws(ReconcileError) -> StoreSummary {
        do {
            return try store.summary()
        } catch {
            throw ReconcileError(.store, "cannot read the state store: \(error)")
        }
    }

    func revision(_ id: String, in source: any DesiredStateSource) throws(ReconcileError) -> Revision {
        do {
            return try source.revision(id)
        } catch {
            throw ReconcileError(.source, "cannot read commit \(id) from the mirror: \(error)", commit: id)
        }
    }

    /// Validates and renders one commit, observes the host and plans.
    /// - Parameter knownGood: the commit is a release this host already ran healthy (a rollback
    ///   or staying on it while a newer one is quarantined). It was accepted then, so an empty
    ///   selection or a plan that removes every unit is not refused again: that was the
    ///   operator's choice (`allowEmpty` then), and refusing would strand the host on the
    ///   failed release.
    func assess(
        revision: Revision, source: any DesiredStateSource, store: any RunStore, knownGood: Bool = false
    ) throws(ReconcileError) -> Assessment {
        let commit = revision.id
        let tree: any RepositoryTree
        do {
            tree = try source.tree(at: commit)
        } catch {
            throw ReconcileError(.source, "cannot read commit \(commit) from the mirror: \(error)", commit: commit)
        }
        let load: DesiredStateLoad
        if let loaded, loaded.commit == commit {
            load = loaded.load
        } else {
            load = DesiredStateLoader.load(from: tree, folder: configuration.repository.path)
            loaded = (commit, load)
        }
        guard let state = load.state, !load.hasErrors else {
            let errors = load.diagnostics.filter { $0.severity == .error }
            throw ReconcileError(
                .validation,
                "commit \(commit.prefix(12)) is not valid, so nothing was changed; fix it in git:\n"
                    + errors.map { "  \($0)" }.joined(separator: "\n"),
                commit: commit, diagnostics: load.diagnostics)
        }
        let selected = state.selecting(host: configuration.host)
        // Valid for the repository, but maybe not here: after: or Alias= naming what this host does not get.
        let hostProblems = state.diagnostics(forHost: configuration.host)
        guard hostProblems.isEmpty else {
            throw ReconcileError(
                .validation,
                "commit \(commit.prefix(12)) is not valid for host \(configuration.host.name), so nothing was changed;"
                    + " fix it in git:\n" + hostProblems.map { "  \($0)" }.joined(separator: "\n"),
                commit: commit, diagnostics: hostProblems)
        }
        if !configuration.allowEmpty, !knownGood, let problem = state.emptySelectionProblem(forHost: configuration.host)
        {
            throw ReconcileError(
                .validation, "commit \(commit.prefix(12)) gives this host nothing, so nothing was changed: \(problem)",
                commit: commit)
        }
        let desired: DesiredHost
        do {
            desired = try DesiredHostBuilder(runtime: configuration.runtime, ageIdentity: configuration.ageIdentity)
                .build(selected, tree: tree, commit: commit)
        } catch {
            throw ReconcileError(
                .validation, "commit \(commit.prefix(12)) cannot be built, so nothing was changed: \(error)",
                commit: commit)
        }
        try checkSecrets(selected, commit: commit)
        let inventory: Inventory
        do {
            inventory = try store.inventory()
        } catch {
            throw ReconcileError(.store, "cannot read the inventory: \(error)", commit: commit)
        }
        let observed = try observer().observe(desired: desired, inventory: inventory)
        let plan = Planner.plan(
            desired: desired, observed: observed, inventory: inventory,
            policy: PlanningPolicy(allowRemovingEveryUnit: configuration.allowEmpty || knownGood))
        return Assessment(
            commit: revision, change: .unchanged, desired: desired, observed: observed, inventory: inventory,
            plan: plan,
            healthChecks: selected.services.compactMap { service in service.health.map { (service.name, $0) } },
            rollingServices: Set(selected.services.filter { $0.instance?.update == .rolling }.map(\.name)))
    }

    func observer() -> HostObserver {
        HostObserver(units: ports.units, containers: ports.containers)
    }

    /// What `once` would do now, and why. Changes nothing on the host (the mirror may fetch).
    public func diff() throws(ReconcileError) -> Assessment {
        let store = try store()
        var assessment = try assess(source: try source(), store: store, summary: try readSummary(store))
        assessment.unhealthy = failingChecks(assessment, except: [])
        return assessment
    }
}
