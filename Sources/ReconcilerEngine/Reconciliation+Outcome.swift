import FoundationEssentials
import ReconcilerCore

extension Reconciliation {
    /// How a run that returned a report ended.
    func outcome(of report: RunReport, trigger: String, started: Date) -> RunOutcome {
        let result: RunOutcomeResult =
            if report.suspended != nil {
                .suspended
            } else if report.degraded != nil {
                .degraded
            } else if report.heldBack != nil {
                .heldBack
            } else if report.actions.isEmpty {
                .inSync
            } else {
                .converged
            }
        return RunOutcome(
            trigger: trigger, finishedAt: ports.clock.now(), commit: report.commit, result: result,
            actions: report.actions.count, drift: tally.drift, syncSeconds: elapsed(since: started),
            applySeconds: tally.applySeconds, release: report.release, healthy: report.healthy,
            unhealthy: report.unhealthy, heldBack: report.heldBack, suspended: report.suspended,
            message: report.degraded, summary: storeSummaryAfterRun())
    }

    /// How a failed run ended: rolled back, refused (nothing changed) or failed.
    func outcome(of error: ReconcileError, trigger: String, started: Date) -> RunOutcome {
        let result: RunOutcomeResult =
            if tally.rolledBack != nil {
                .rolledBack
            } else if error.stage == .validation || error.stage == .refused {
                .refused
            } else {
                .failed
            }
        let summary = storeSummaryAfterRun()
        return RunOutcome(
            trigger: trigger, finishedAt: ports.clock.now(), commit: error.commit, result: result,
            drift: tally.drift, syncSeconds: elapsed(since: started), applySeconds: tally.applySeconds,
            release: tally.rolledBack, suspended: summary?.suspended?.message, message: error.message,
            summary: summary)
    }

    /// The marks after the run, when the store was opened and can be read.
    private func storeSummaryAfterRun() -> StoreSummary? {
        guard let store = try? store() else { return nil }
        return try? store.summary()
    }
}
