import FoundationEssentials
import Logging
public import ReconcilerCore

/// The result of `reconciler once`.
public struct RunReport: Sendable {
    /// The run's id in the store; nil when the host was in sync and nothing was recorded.
    public var run: Int64?
    public var commit: String
    public var actions: [PlannedAction]
    public var seconds: Double
    /// Services whose health checks passed after this run.
    public var healthy: [String]
    /// The newest commit, when it was not applied because it is quarantined.
    public var heldBack: String?
    /// Why the host is degraded, when it is: nothing was changed.
    public var degraded: String?
    /// Services whose health check fails though this run did not change them: reported, not
    /// held against the commit.
    public var unhealthy: [String] = []
    /// The release this run deployed or finished verifying, when it did.
    public var release: Int64?
    /// Why the host is suspended, when it is: the actions were planned, not taken.
    public var suspended: String?
    /// Why the newest commit waits for this host's ring gate, when it does.
    public var waiting: RingWait?
}

extension Reconciliation {
    /// One sync: fetch, validate, plan, apply, verify health, record. Serialised with every
    /// other run by the run lock; a run interrupted by a crash is closed and rolled forward.
    /// - Parameter trigger: what started the run, as history shows it ("once"; the agent's "poll" or "signal").
    public func once(waitForLock: Bool, trigger: String = "once") throws(ReconcileError) -> RunReport {
        let started = ports.clock.now()
        tally.applySeconds = 0
        tally.drift = 0
        tally.rolledBack = nil
        // Reported after the lock is released: a slow receiver never holds the next run back.
        let report: RunReport
        do {
            report = try lockedOnce(waitForLock: waitForLock, trigger: trigger, started: started)
        } catch {
            if error.stage != .lock {
                publishFleetState()
                ports.outcomes.runFinished(outcome(of: error, trigger: trigger, started: started))
            }
            throw error
        }
        publishFleetState()
        ports.outcomes.runFinished(outcome(of: report, trigger: trigger, started: started))
        return report
    }

    private func lockedOnce(
        waitForLock: Bool, trigger: String, started: Date
    ) throws(ReconcileError) -> RunReport {
        let lock: AnyObject
        do {
            lock = try ports.lock.acquire(wait: waitForLock)
        } catch {
            throw ReconcileError(.lock, "\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        let recorder = RunRecorder(trigger: trigger)
        recorder.repository = ports.shownRepositoryURL.map {
            RunRepository(shownURL: $0, reference: configuration.repository.reference)
        }
        do {
            let store = try store()
            recoverInterruptedRuns(store)
            recorder.store = store
            let report = try converge(store: store, recorder: recorder, started: started)
            if let run = recorder.id { try? store.finishRun(run, result: .succeeded, message: nil) }
            return report
        } catch {
            record(failure: error, recorder: recorder)
            throw error
        }
    }

    /// A failed run is always recorded, with its stage and message, when the store is open.
    private func record(failure error: ReconcileError, recorder: RunRecorder) {
        let result: RunResult = error.stage == .validation || error.stage == .refused ? .refused : .failed
        if let store = recorder.store {
            // A rollback closed its run already, as rolled back; the store refuses a second close.
            if let run = try? recorder.begin(commit: error.commit) {
                try? store.finishRun(run, result: result, message: error.message)
            }
            try? store.setLastError(error.message, commit: error.commit)
        }
        var metadata: Logger.Metadata = ["stage": "\(error.stage.rawValue)"]
        if let commit = error.commit { metadata["commit"] = "\(commit)" }
        logger.error("run failed: \(error.message)", metadata: metadata)
    }

    private func converge(
        store: any RunStore, recorder: RunRecorder, started: Date
    ) throws(ReconcileError) -> RunReport {
        let source = try source()
        let summary = try readSummary(store)
        let assessment = try assess(source: source, store: store, summary: summary)
        let commit = assessment.commit.id
        let plan = assessment.plan
        tally.drift = plan.actions.count
        if !plan.refusals.isEmpty {
            throw ReconcileError(
                .refused,
                "commit \(commit.prefix(12)) was refused, nothing was changed:\n"
                    + plan.refusals.map { "  \($0)" }.joined(separator: "\n"),
                commit: commit)
        }
        var report = RunReport(
            run: nil, commit: commit, actions: [], seconds: 0, healthy: [], heldBack: assessment.heldBack)
        report.waiting = assessment.waiting
        if assessment.waiting != nil && summary.lastApplied == nil {
            // Nothing applied yet and the first commit is not through the gate: nothing to do.
            report.seconds = elapsed(since: started)
            return report
        }
        if let suspended = summary.suspended {
            // Held still by an operator: observe and report, change nothing, record nothing.
            if !plan.actions.isEmpty {
                logger.notice(
                    "suspended (\(suspended.message)): \(plan.actions.count) actions not taken",
                    metadata: ["commit": "\(commit)", "drift": "\(plan.actions.count)"])
            }
            report.actions = plan.actions
            report.suspended = suspended.message
            report.unhealthy = try probeUnchanged(assessment, except: [], summary: summary, store: store)
            report.seconds = elapsed(since: started)
            return report
        }
        let resumed = try unfinishedRelease(store, continuing: assessment)
        if let degraded = summary.degraded, assessment.heldBack != nil {
            // The rollback restored a release that is not healthy either: restarting it again
            // would only loop. A new commit or `reconciler retry` moves the host on.
            logger.warning(
                "degraded: \(degraded.message); waiting for a new commit or `reconciler retry`",
                metadata: ["commit": "\(commit)"])
            report.degraded = degraded.message
            report.seconds = elapsed(since: started)
            return report
        }
        if plan.actions.isEmpty && resumed == nil {
            // In sync: no run is recorded, and nothing is written unless a mark is stale (an
            // idle sync must stay cheap, and each SQLite commit costs an fsync).
            logger.debug("in sync", metadata: ["commit": "\(commit)"])
            report.unhealthy = try probeUnchanged(assessment, except: [], summary: summary, store: store)
            if assessment.heldBack == nil || summary.lastHealthy?.commit == commit {
                // A new commit that changes nothing here (a revert) is healthy once every check
                // passes: the ring gate of the next ring waits for exactly that mark.
                let newAndPassing =
                    assessment.heldBack == nil && report.unhealthy.isEmpty && summary.lastHealthy?.commit != commit
                try recordSuccess(store: store, assessment: assessment, healthy: newAndPassing ? [] : nil)
            }
            report.seconds = elapsed(since: started)
            return report
        }
        let run: Int64
        do {
            run = try recorder.begin(commit: commit)
        } catch {
            throw ReconcileError(.store, "cannot record the run: \(error)", commit: commit)
        }
        report.run = run
        report.actions = plan.actions
        if let resumed {
            logger.warning(
                "release \(resumed.id) of \(commit.prefix(12)) was interrupted while \(resumed.state.rawValue); finishing it",
                metadata: ["commit": "\(commit)", "release": "\(resumed.id)"])
        }
        // A new commit is a new release; healing the healthy one, or holding a quarantined
        // commit back, is not.
        let isRelease = resumed != nil || (assessment.heldBack == nil && summary.lastHealthy?.commit != commit)
        guard isRelease else {
            let healthy = try heal(assessment, source: source, store: store, run: run)
            report.healthy = healthy
            report.unhealthy = try probeUnchanged(assessment, except: Set(healthy), summary: summary, store: store)
            pruneHistory(store)
            report.seconds = elapsed(since: started)
            return report
        }
        let release = try deploy(assessment, resumed: resumed, source: source, store: store, run: run)
        report.healthy = release.healthy
        report.release = release.id
        report.unhealthy = try probeUnchanged(
            assessment, except: Set(release.gating), summary: summary, store: store)
        cleanUp(store: store, assessment: assessment)
        report.seconds = elapsed(since: started)
        return report
    }

    /// Drift healing of the release the host already runs (or is held to): apply, and check
    /// the health of what was changed. A failure is retried with backoff, never rolled back:
    /// this is the release to go back to.
    private func heal(
        _ assessment: Assessment, source: any DesiredStateSource, store: any RunStore, run: Int64
    ) throws(ReconcileError) -> [String] {
        let commit = assessment.commit.id
        logger.info(
            "applying \(assessment.plan.actions.count) actions",
            metadata: ["commit": "\(commit)", "summary": "\(assessment.commit.summary)"])
        try verifyUnits(assessment)
        ports.units.removeLeftoverFiles()
        let applier = makeApplier(source: source, store: store, rolling: assessment)
        try applier.apply(assessment.plan, desired: assessment.desired, run: run)
        let healthy = try checkHealth(assessment, services: changedServices(assessment.plan))
        // Held back with no healthy release, the plan only removed what the failure left: the
        // quarantined commit's units were never written.
        if assessment.heldBack != commit {
            try recordSuccess(store: store, assessment: assessment, healthy: healthy)
        }
        logger.info("converged", metadata: ["commit": "\(commit)", "actions": "\(assessment.plan.actions.count)"])
        return healthy
    }

    /// - Parameter assessment: whose rolling instances are health-gated one at a time.
    func makeApplier(
        source: any DesiredStateSource, store: any RunStore, rolling assessment: Assessment? = nil
    ) -> PlanApplier {
        var applier = PlanApplier(
            ports: ports, source: source, store: store,
            buildDirectory: configuration.stateDirectory + "/build", logger: logger)
        applier.progress = progress
        applier.tally = tally
        if let assessment, !assessment.rollingServices.isEmpty {
            applier.gate = { service throws(ReconcileError) in
                guard assessment.rollingServices.contains(service) else { return }
                _ = try self.checkHealth(assessment, services: [service])
            }
        }
        return applier
    }

    func elapsed(since start: Date) -> Double {
        ports.clock.now().timeIntervalSince(start)
    }

    func recordSuccess(
        store: any RunStore, assessment: Assessment, healthy: [String]?
    ) throws(ReconcileError) {
        let commit = assessment.commit.id
        do {
            for unit in assessment.desired.units where !assessment.inventory.units.contains(unit.name) {
                try store.recordUnitWritten(unit.name, commit: commit)
            }
            // Units that left the desired state and whose file is gone are no longer ours to track.
            let desired = Set(assessment.desired.units.map(\.name))
            for name in assessment.inventory.units where !desired.contains(name) {
                if !ports.units.unitFileExists(name) {
                    try store.recordUnitRemoved(name)
                }
            }
            let summary = try store.summary()
            if summary.lastApplied?.commit != commit { try store.setLastApplied(commit) }
            if healthy != nil && summary.lastHealthy?.commit != commit { try store.setLastHealthy(commit) }
            if summary.lastError != nil { try store.clearLastError() }
        } catch {
            throw ReconcileError(.store, "cannot record the run: \(error)", commit: commit)
        }
    }

    private func recoverInterruptedRuns(_ store: any RunStore) {
        guard let runs = try? store.unfinishedRuns(), !runs.isEmpty else { return }
        for run in runs {
            logger.warning(
                "run \(run.id) was interrupted; the host is re-planned from what runs now and rolled forward",
                metadata: ["commit": "\(run.commit ?? "unknown")"])
        }
        _ = try? store.abandonUnfinishedRuns(message: "interrupted; rolled forward by the next run")
    }
}

/// Begins the run's record the first time it is needed: a run that finds the host in sync
/// leaves no record.
final class RunRecorder {
    var store: (any RunStore)?
    let trigger: String
    /// Noted with the run, for `status`.
    var repository: RunRepository?
    private(set) var id: Int64?

    init(trigger: String) {
        self.trigger = trigger
    }

    func begin(commit: String?) throws -> Int64 {
        if let id { return id }
        guard let store else { throw ReconcileError(.store, "the state store is not open") }
        let id = try store.beginRun(trigger: trigger, commit: commit)
        self.id = id
        if let repository { try store.recordRepository(repository, run: id) }
        return id
    }
}
