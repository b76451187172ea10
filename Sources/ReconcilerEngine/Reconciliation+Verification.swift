import Foundation
import Logging
import ReconcilerCore

extension Reconciliation {
    /// A deploy whose health check failed: put back the last healthy commit's units (its
    /// images are still there, tagged by content) and remember the bad commit, so it is not
    /// tried again until a newer one arrives. Always throws: the run failed either way.
    func rollBack(
        _ failed: Assessment, failure: ReconcileError, source: any DesiredStateSource, store: any RunStore,
        applier: PlanApplier, run: Int64
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

    /// Every rendered unit must pass the unit verifier before any is written.
    func verifyUnits(_ assessment: Assessment) throws(ReconcileError) {
        let problems: [UnitProblem]
        do {
            problems = try ports.units.verify(assessment.desired.units.map { ($0.name, $0.contents) })
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
    func checkHealth(_ assessment: Assessment) throws(ReconcileError) -> [String] {
        var healthy: [String] = []
        for (service, check) in assessment.healthChecks {
            let outcome = ports.health.wait(for: check)
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
}
