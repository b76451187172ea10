import Logging
import ReconcilerCore

extension Reconciliation {
    /// A release that failed after it changed the host: quarantine its commit, then put back
    /// the last healthy release (its images are kept for this), or, with none, remove the
    /// units the release added. A restored release that is not healthy either leaves the host
    /// degraded: nothing is restarted again until a new commit or a retry. Always throws: the
    /// run failed either way.
    func rollBack(
        _ failed: Assessment, release: ReleaseRecord, failure: ReconcileError, source: any DesiredStateSource,
        store: any RunStore, run: Int64
    ) throws(ReconcileError) -> Never {
        let commit = failed.commit.id
        let summary = try readSummary(store)
        try? store.markRelease(release.id, state: .failed, message: failure.message)
        try? store.quarantine(commit, reason: failure.message)
        var metadata: Logger.Metadata = ["commit": "\(commit)", "release": "\(release.id)", "action": "rollback"]
        guard let healthy = summary.lastHealthy?.commit, healthy != commit, !summary.isQuarantined(healthy) else {
            logger.warning("no earlier release was healthy: removing the units this release added", metadata: metadata)
            try removeAdded(failed, release: release, failure: failure, source: source, store: store, run: run)
        }
        metadata["healthy"] = "\(healthy)"
        logger.warning("rolling back to \(healthy.prefix(12))", metadata: metadata)
        let restored: [String]
        let back: Assessment
        do throws(ReconcileError) {
            back = try assess(
                revision: try revision(healthy, in: source), source: source, store: store, knownGood: true)
            guard back.plan.refusals.isEmpty else {
                throw ReconcileError(
                    .health,
                    "the rollback was refused: \(back.plan.refusals.map(\.description).joined(separator: "; "))",
                    commit: commit)
            }
            try verifyUnits(back)
            try makeApplier(source: source, store: store, rolling: back).apply(
                back.plan, desired: back.desired, run: run)
            restored = try checkHealth(back, services: changedServices(back.plan))
        } catch {
            let message =
                "\(failure.message); rolled back to \(healthy.prefix(12)), but it is not healthy either: \(error.message)"
            logger.error("degraded: \(message)", metadata: metadata)
            try? store.setDegraded(
                "the rollback to \(healthy.prefix(12)) after \(commit.prefix(12)) failed: \(error.message)",
                commit: healthy)
            try? store.markRelease(release.id, state: .rolledBack, message: message)
            tally.rolledBack = release.id
            try? store.finishRun(run, result: .rolledBack, message: message)
            throw ReconcileError(.health, message + "; push a fix or run `reconciler retry`", commit: commit)
        }
        try recordSuccess(store: store, assessment: back, healthy: restored)
        let message =
            "\(failure.message); rolled back to \(healthy.prefix(12)), which is healthy; \(commit.prefix(12)) is quarantined until a newer commit arrives or `reconciler retry`"
        try? store.markRelease(release.id, state: .rolledBack, message: message)
        tally.rolledBack = release.id
        try? store.finishRun(run, result: .rolledBack, message: message)
        logger.error("rolled back", metadata: metadata)
        cleanUp(store: store, assessment: back)
        throw ReconcileError(failure.stage, message, commit: commit)
    }

    /// The failed release was the first: stop and delete the units it added, so the host is
    /// as it was before it.
    private func removeAdded(
        _ failed: Assessment, release: ReleaseRecord, failure: ReconcileError, source: any DesiredStateSource,
        store: any RunStore, run: Int64
    ) throws(ReconcileError) -> Never {
        let commit = failed.commit.id
        let added = Set(release.addedUnits)
        let message: String
        do throws(ReconcileError) {
            let inventory: Inventory
            do {
                inventory = try store.inventory()
            } catch {
                throw ReconcileError(.store, "cannot read the inventory: \(error)", commit: commit)
            }
            let empty = DesiredHost(units: [], images: [], commit: "")
            let observed = try observer().observe(desired: empty, inventory: inventory)
            let plan = removalPlan(units: added.intersection(inventory.units), observed: observed)
            try makeApplier(source: source, store: store).apply(plan, desired: empty, run: run)
            message =
                "\(failure.message); no earlier release was healthy, so the \(added.count) units it added were removed; \(commit.prefix(12)) is quarantined until a newer commit arrives or `reconciler retry`"
        } catch {
            let text = "\(failure.message); removing the units it added failed too: \(error.message)"
            try? store.markRelease(release.id, state: .failed, message: text)
            throw ReconcileError(failure.stage, text, commit: commit)
        }
        try? store.markRelease(release.id, state: .rolledBack, message: message)
        tally.rolledBack = release.id
        try? store.finishRun(run, result: .rolledBack, message: message)
        logger.error(
            "rolled back", metadata: ["commit": "\(commit)", "release": "\(release.id)", "action": "rollback"])
        throw ReconcileError(failure.stage, message, commit: commit)
    }
}
