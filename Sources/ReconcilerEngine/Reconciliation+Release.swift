import Logging
import ReconcilerCore

/// What a deployed release came to.
struct DeployedRelease {
    var id: Int64
    var gating: [String]
    var healthy: [String]
}

extension Reconciliation {
    /// The newest release when a run stopped before it was verified. It is finished when the
    /// host still targets its commit; a newer commit (or a quarantine) supersedes it.
    func unfinishedRelease(
        _ store: any RunStore, continuing assessment: Assessment
    ) throws(ReconcileError) -> ReleaseRecord? {
        let latest: ReleaseRecord?
        do {
            latest = try store.releases(limit: 1).first
        } catch {
            throw ReconcileError(.store, "cannot read the releases: \(error)")
        }
        guard let latest, latest.state.isUnfinished else { return nil }
        if latest.commit == assessment.commit.id && assessment.heldBack == nil { return latest }
        let message =
            "interrupted while \(latest.state.rawValue), then superseded by \(assessment.commit.id.prefix(12))"
        logger.warning(
            "release \(latest.id) of \(latest.commit.prefix(12)) was \(message)",
            metadata: ["commit": "\(latest.commit)", "release": "\(latest.id)"])
        do {
            try store.markRelease(latest.id, state: .failed, message: message)
        } catch {
            throw ReconcileError(.store, "cannot record the release: \(error)", commit: latest.commit)
        }
        return nil
    }

    /// Applies a new commit as a release (or finishes one a stopped run left), verifies the
    /// health of the services it changed, and records it healthy. Any failure after the host
    /// changed rolls the release back; a failure before (a build, a pull, the unit verifier)
    /// leaves the host as it was.
    func deploy(
        _ assessment: Assessment, resumed: ReleaseRecord?, source: any DesiredStateSource, store: any RunStore,
        run: Int64
    ) throws(ReconcileError) -> DeployedRelease {
        let commit = assessment.commit.id
        let plan = assessment.plan
        let gating = Set(resumed?.gatingServices ?? []).union(changedServices(plan)).sorted()
        let release: ReleaseRecord
        do {
            if let resumed {
                release = resumed
            } else {
                let start = ReleaseStart(
                    commit: commit, run: run, gatingServices: gating,
                    images: assessment.desired.images.map(\.reference).sorted(),
                    addedUnits: assessment.desired.units.map(\.name).filter { !assessment.inventory.units.contains($0) }
                        .sorted())
                let id = try store.beginRelease(start)
                release = ReleaseRecord(
                    id: id, commit: commit, run: run, state: .applying, gatingServices: gating, images: start.images,
                    addedUnits: start.addedUnits, startedAt: ports.clock.now(), updatedAt: ports.clock.now(),
                    message: nil)
            }
        } catch {
            throw ReconcileError(.store, "cannot record the release: \(error)", commit: commit)
        }
        var metadata: Logger.Metadata = ["commit": "\(commit)", "release": "\(release.id)"]
        metadata["summary"] = "\(assessment.commit.summary)"
        logger.info("applying \(plan.actions.count) actions", metadata: metadata)
        let applier = makeApplier(source: source, store: store, rolling: assessment)
        // A stopped run may have changed the host already.
        var changedHost = resumed != nil
        do {
            if !plan.actions.isEmpty {
                try verifyUnits(assessment)
                ports.units.removeLeftoverFiles()
                try applier.apply(plan, desired: assessment.desired, run: run)
            }
            changedHost = true
            try mark(release, .verifying, store: store)
        } catch {
            guard changedHost || applier.trace.changedHost else {
                try? store.markRelease(release.id, state: .failed, message: error.message)
                throw error
            }
            try rollBack(assessment, release: release, failure: error, source: source, store: store, run: run)
        }
        let healthy: [String]
        do {
            healthy = try checkHealth(assessment, services: Set(gating))
        } catch {
            try rollBack(assessment, release: release, failure: error, source: source, store: store, run: run)
        }
        try mark(release, .healthy, store: store)
        try recordSuccess(store: store, assessment: assessment, healthy: healthy)
        do {
            // A newer commit is healthy: the quarantined ones are history, and a host that was
            // degraded is not any more.
            let released = try store.releaseQuarantine(nil)
            if !released.isEmpty {
                logger.info(
                    "released \(released.count) commits from the quarantine", metadata: ["commit": "\(commit)"])
            }
            try store.setDegraded(nil, commit: nil)
        } catch {
            throw ReconcileError(.store, "cannot record the release: \(error)", commit: commit)
        }
        logger.info("release is healthy", metadata: metadata.merging(["actions": "\(plan.actions.count)"]) { $1 })
        return DeployedRelease(id: release.id, gating: gating, healthy: healthy)
    }

    func mark(_ release: ReleaseRecord, _ state: ReleaseState, store: any RunStore) throws(ReconcileError) {
        do {
            try store.markRelease(release.id, state: state, message: nil)
        } catch {
            throw ReconcileError(.store, "cannot record the release: \(error)", commit: release.commit)
        }
    }

    /// The services whose unit a plan writes, starts or restarts, or whose image it builds or
    /// pulls: the ones whose health decides the release.
    func changedServices(_ plan: Plan) -> Set<String> {
        Set(
            plan.actions.compactMap { action in
                switch action.kind {
                case .writeUnit, .start, .restart, .reload, .writeFile, .buildImage, .pullImage: action.service
                default: nil
                }
            })
    }
}
