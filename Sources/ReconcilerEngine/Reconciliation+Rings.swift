import FoundationEssentials
import Logging
import ReconcilerCore

extension Reconciliation {
    /// Why this host does not apply `commit` yet (its ring's gate is closed), or nil. A commit
    /// the host already runs is never held: the gate decides promotions, not healing.
    func ringWait(for commit: String, summary: StoreSummary) -> RingWait? {
        guard let fleet = ports.fleet, commit != summary.lastApplied?.commit else {
            fleetWaiting = nil
            return nil
        }
        let wait = fleet.wait(for: commit, now: ports.clock.now())
        if wait != fleetWaiting {
            if let wait {
                logger.notice("ring gate: \(wait)", metadata: ["commit": "\(commit)"])
            } else if fleetWaiting != nil {
                logger.notice("ring gate open for \(commit.prefix(12))", metadata: ["commit": "\(commit)"])
            }
        }
        fleetWaiting = wait
        return wait
    }

    /// The host stays on (and heals towards) the commit it runs while the newest one waits;
    /// with nothing applied yet, it waits with an empty plan and changes nothing.
    func assessWaiting(
        _ wait: RingWait, newest: Revision, source: any DesiredStateSource, store: any RunStore,
        summary: StoreSummary
    ) throws(ReconcileError) -> Assessment {
        if let current = summary.lastApplied?.commit {
            var assessment = try assess(revision: try revision(current, in: source), source: source, store: store)
            assessment.waiting = wait
            return assessment
        }
        let nothing = DesiredHost(units: [], images: [], commit: "")
        let inventory: Inventory
        do {
            inventory = try store.inventory()
        } catch {
            throw ReconcileError(.store, "cannot read the inventory: \(error)")
        }
        return Assessment(
            commit: newest, change: .unchanged, desired: nothing,
            observed: try observer().observe(desired: nothing, inventory: inventory), inventory: inventory,
            plan: Plan(), healthChecks: [], waiting: wait)
    }

    /// Pushes the host's state after a run, when it changed; failures only log (the port's).
    func publishFleetState() {
        guard let fleet = ports.fleet, let store = try? store(), let summary = try? store.summary() else { return }
        let report = HostReport(
            host: configuration.hostName, ring: configuration.fleet?.ring,
            applied: summary.lastApplied?.commit, healthy: summary.lastHealthy?.commit,
            healthySince: summary.lastHealthy?.at, quarantined: summary.quarantined.map(\.commit),
            waiting: fleetWaiting?.commit)
        fleet.publish(report, now: ports.clock.now())
    }
}
