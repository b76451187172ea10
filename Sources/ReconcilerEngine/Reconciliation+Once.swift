import Foundation
import Logging
public import ReconcilerCore
import ReconcilerGit
import ReconcilerStore
import ReconcilerSystemd

/// The result of `reconciler once`.
public struct RunReport: Sendable {
    /// The run's id in the store; nil when the host was in sync and nothing was recorded.
    public var run: Int64?
    public var commit: String
    public var actions: [PlannedAction]
    public var seconds: Double
    /// Services whose health checks passed after this run.
    public var healthy: [String]
    /// The newest commit, when it was not applied because it failed before.
    public var heldBack: String?
}

extension Reconciliation {
    /// One sync: fetch, validate, plan, apply, verify health, record. Serialised with every
    /// other run by the run lock; a run interrupted by a crash is closed and rolled forward.
    public func once(waitForLock: Bool) throws(ReconcileError) -> RunReport {
        let started = Date()
        let lock: RunLock
        do {
            lock = try RunLock(stateDirectory: configuration.stateDirectory, wait: waitForLock, timeout: nil)
        } catch {
            throw ReconcileError(.lock, "\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        let store = try openStore()
        recoverInterruptedRuns(store)
        let recorder = RunRecorder(store: store, trigger: "once")
        do {
            let report = try converge(store: store, recorder: recorder, started: started)
            if let run = recorder.id { try? store.finishRun(run, result: .succeeded, message: nil) }
            return report
        } catch {
            let result: RunResult = error.stage == .validation || error.stage == .refused ? .refused : .failed
            if let run = try? recorder.begin(commit: error.commit) {
                try? store.finishRun(run, result: result, message: error.message)
            }
            try? store.setLastError(error.message, commit: error.commit)
            var metadata: Logger.Metadata = ["stage": "\(error.stage.rawValue)"]
            if let commit = error.commit { metadata["commit"] = "\(commit)" }
            logger.error("run failed: \(error.message)", metadata: metadata)
            throw error
        }
    }

    private func converge(store: StateStore, recorder: RunRecorder, started: Date) throws(ReconcileError) -> RunReport {
        let source = try makeSource()
        let assessment = try assess(source: source, store: store)
        let commit = assessment.commit.id
        let plan = assessment.plan
        if !plan.refusals.isEmpty {
            throw ReconcileError(
                .refused,
                "commit \(commit.prefix(12)) was refused, nothing was changed:\n"
                    + plan.refusals.map { "  \($0)" }.joined(separator: "\n"),
                commit: commit)
        }
        if plan.actions.isEmpty {
            // In sync: no run is recorded, and nothing is written unless a mark is stale (an
            // idle sync must stay cheap, and each SQLite commit costs an fsync).
            logger.debug("in sync", metadata: ["commit": "\(commit)"])
            try recordSuccess(store: store, assessment: assessment, healthy: nil)
            return RunReport(
                run: nil, commit: commit, actions: [], seconds: Date().timeIntervalSince(started), healthy: [],
                heldBack: assessment.heldBack)
        }
        let run: Int64
        do {
            run = try recorder.begin(commit: commit)
        } catch {
            throw ReconcileError(.store, "cannot record the run: \(error)", commit: commit)
        }
        logger.info(
            "applying \(plan.actions.count) actions",
            metadata: ["commit": "\(commit)", "summary": "\(assessment.commit.summary)"])
        try verifyUnits(assessment)
        let unitFiles = UnitFiles(directory: configuration.unitDirectory)
        unitFiles.removeLeftovers()
        let mirror: GitRepository
        do throws(SourceError) {
            mirror = try source.mirror()
        } catch {
            throw ReconcileError(.source, error.message, commit: commit)
        }
        var applier = PlanApplier(
            systemd: try systemd(), containers: containers(), store: store, unitFiles: unitFiles, mirror: mirror,
            buildDirectory: configuration.stateDirectory + "/build", logger: logger)
        applier.progress = progress
        try applier.apply(plan, desired: assessment.desired, run: run)
        try? store.setLastApplied(commit)
        let healthy: [String]
        do {
            healthy = try checkHealth(assessment)
        } catch {
            try rollBack(assessment, failure: error, source: source, store: store, applier: applier, run: run)
        }
        try recordSuccess(store: store, assessment: assessment, healthy: healthy)
        logger.info("converged", metadata: ["commit": "\(commit)", "actions": "\(plan.actions.count)"])
        return RunReport(
            run: run, commit: commit, actions: plan.actions, seconds: Date().timeIntervalSince(started),
            healthy: healthy, heldBack: assessment.heldBack)
    }

    /// A deploy whose health check failed: put back the last healthy commit's units (its
    /// images are still there, tagged by content) and remember the bad commit, so it is not
    /// tried again until a newer one arrives. Always throws: the run failed either way.
    private func rollBack(
        _ failed: Assessment, failure: ReconcileError, source: GitSource, store: StateStore, applier: PlanApplier,
        run: Int64
    ) throws(ReconcileError) -> Never {
        let commit = failed.commit.id
        let summary = try readSummary(store)
        try? store.markBadCommit(commit, reason: failure.message)
        guard let healthy = summary.lastHealthy?.commit, healthy != commit else {
            throw ReconcileError(
                .health,
                "\(failure.message); there is no earlier healthy commit to go back to, so the host stays on \(commit.prefix(12)); push a fix",
                commit: commit)
        }
        logger.warning(
            "rolling back to \(healthy.prefix(12))",
            metadata: ["commit": "\(commit)", "healthy": "\(healthy)", "action": "rollback"])
        let back = try assess(revision: try revision(healthy, in: source), source: source, store: store)
        guard back.plan.refusals.isEmpty else {
            throw ReconcileError(
                .health, "\(failure.message); the rollback to \(healthy.prefix(12)) was refused: \(back.plan.refusals)",
                commit: commit)
        }
        try verifyUnits(back)
        try applier.apply(back.plan, desired: back.desired, run: run)
        do {
            _ = try checkHealth(back)
        } catch {
            throw ReconcileError(
                .health,
                "\(failure.message); rolled back to \(healthy.prefix(12)), but it is not healthy either: \(error.message)",
                commit: commit)
        }
        try recordSuccess(store: store, assessment: back, healthy: [])
        let message =
            "\(failure.message); rolled back to \(healthy.prefix(12)), which is healthy; \(commit.prefix(12)) will not be tried again until a newer commit arrives"
        try? store.finishRun(run, result: .rolledBack, message: message)
        logger.error("rolled back", metadata: ["commit": "\(commit)", "healthy": "\(healthy)", "action": "rollback"])
        throw ReconcileError(.health, message, commit: commit)
    }

    /// Every rendered unit must pass `systemd-analyze verify` before any is written.
    private func verifyUnits(_ assessment: Assessment) throws(ReconcileError) {
        let problems: [UnitProblem]
        do {
            problems = try UnitVerifier.verify(units: assessment.desired.units.map { ($0.name, $0.contents) })
        } catch {
            throw ReconcileError(
                .verification, "cannot run systemd-analyze verify: \(error)", commit: assessment.commit.id)
        }
        for warning in problems where !warning.isBlocking {
            logger.warning("systemd-analyze verify: \(warning)", metadata: ["commit": "\(assessment.commit.id)"])
        }
        let blocking = problems.filter(\.isBlocking)
        guard blocking.isEmpty else {
            throw ReconcileError(
                .verification,
                "systemd-analyze verify rejected the rendered units of commit \(assessment.commit.id.prefix(12)), nothing was changed:\n"
                    + blocking.map { "  \($0)" }.joined(separator: "\n"),
                commit: assessment.commit.id)
        }
    }

    /// Waits for the health check of every service that has one; the run fails when one
    /// does not pass in time.
    private func checkHealth(_ assessment: Assessment) throws(ReconcileError) -> [String] {
        var healthy: [String] = []
        for (service, check) in assessment.healthChecks {
            let outcome = HealthProbe.wait(for: check)
            let metadata: Logger.Metadata = [
                "commit": "\(assessment.commit.id)", "service": "\(service)", "action": "health-check",
                "seconds": "\(String(format: "%.1f", outcome.seconds))",
            ]
            guard outcome.passed else {
                logger.error("health check failed: \(outcome.detail)", metadata: metadata)
                throw ReconcileError(
                    .health,
                    "the health check of \(service) did not pass within \(check.timeout): \(outcome.detail); see journalctl -u \(service).service",
                    commit: assessment.commit.id)
            }
            logger.info("healthy", metadata: metadata)
            healthy.append(service)
        }
        return healthy
    }

    private func recordSuccess(store: StateStore, assessment: Assessment, healthy: [String]?) throws(ReconcileError) {
        let commit = assessment.commit.id
        do {
            for unit in assessment.desired.units where !assessment.inventory.units.contains(unit.name) {
                try store.recordUnitWritten(unit.name, commit: commit)
            }
            // Units that left the desired state and whose file is gone are no longer ours to track.
            let desired = Set(assessment.desired.units.map(\.name))
            for name in assessment.inventory.units where !desired.contains(name) {
                if !FileManager.default.fileExists(atPath: configuration.unitDirectory + "/" + name) {
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

    private func recoverInterruptedRuns(_ store: StateStore) {
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
    let store: StateStore
    let trigger: String
    private(set) var id: Int64?

    init(store: StateStore, trigger: String) {
        self.store = store
        self.trigger = trigger
    }

    func begin(commit: String?) throws(StoreError) -> Int64 {
        if let id { return id }
        let id = try store.beginRun(trigger: trigger, commit: commit)
        self.id = id
        return id
    }
}
