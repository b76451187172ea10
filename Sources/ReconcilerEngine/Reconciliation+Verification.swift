import Foundation
import Logging
import ReconcilerCore

extension Reconciliation {
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

    /// Waits for the health check of each service in `services` that has one; the run fails
    /// when one does not pass in time.
    func checkHealth(_ assessment: Assessment, services: Set<String>) throws(ReconcileError) -> [String] {
        var healthy: [String] = []
        for (service, check) in assessment.healthChecks where services.contains(service) {
            progress?()
            let outcome = ports.health.wait(for: check)
            let metadata: Logger.Metadata = [
                "commit": "\(assessment.commit.id)", "service": "\(service)", "action": "health-check",
                "seconds": "\(String(format: "%.1f", outcome.seconds))",
            ]
            guard outcome.passed else {
                logger.error("health check of \(service) failed: \(outcome.detail)", metadata: metadata)
                throw ReconcileError(
                    .health,
                    "the health check of \(service) did not pass within \(check.timeout): \(outcome.detail); see journalctl -u \(service).service",
                    commit: assessment.commit.id)
            }
            logger.info("\(service) is healthy", metadata: metadata)
            healthy.append(service)
        }
        return healthy
    }

    /// The checked services outside `except` (those a release just verified) whose probe
    /// fails now, one try each. A quarantined commit held back with no healthy release runs
    /// nothing, so nothing of it is probed.
    func failingChecks(_ assessment: Assessment, except: Set<String>) -> [UnhealthyService] {
        guard assessment.heldBack != assessment.commit.id else { return [] }
        var failing: [UnhealthyService] = []
        for (service, check) in assessment.healthChecks where !except.contains(service) {
            let outcome = ports.health.probe(check)
            if !outcome.passed { failing.append(UnhealthyService(service: service, detail: outcome.detail)) }
        }
        return failing
    }

    /// Probes the services outside `except` (see `failingChecks`): one that fails is reported
    /// in `status`, not held against a commit that did not change it. The store is written
    /// only when the set of unhealthy services changes.
    /// - Returns: the unhealthy services.
    func probeUnchanged(
        _ assessment: Assessment, except: Set<String>, summary: StoreSummary, store: any RunStore
    ) throws(ReconcileError) -> [String] {
        let failing = failingChecks(assessment, except: except)
        let message = failing.isEmpty ? nil : failing.map { "\($0.service): \($0.detail)" }.joined(separator: "; ")
        if message != summary.unhealthy?.message {
            if let message {
                logger.warning(
                    "unhealthy: \(message)",
                    metadata: ["commit": "\(assessment.commit.id)", "action": "health-check"])
            } else if summary.unhealthy != nil {
                logger.notice("every health check passes again", metadata: ["commit": "\(assessment.commit.id)"])
            }
            do {
                try store.setUnhealthy(message, commit: message == nil ? nil : assessment.commit.id)
            } catch {
                throw ReconcileError(.store, "cannot record the health checks: \(error)", commit: assessment.commit.id)
            }
        }
        return failing.map(\.service)
    }
}
