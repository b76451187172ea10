import Foundation
import Logging
import ReconcilerCore
import ReconcilerPOSIX

/// Writes the Prometheus text file after every run, atomically (node_exporter must never
/// read half a file). The rollback counter is read back from the previous file, so it keeps
/// counting across agent restarts and separate `reconciler once` processes.
struct MetricsTextfile: RunOutcomeReporting {
    let path: String
    let logger: Logger

    func runFinished(_ outcome: RunOutcome) {
        let previous = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap(MetricsText.rollbacks(in:)) ?? 0
        let rollbacks = previous + (outcome.result == .rolledBack ? 1 : 0)
        let text = MetricsText.render(outcome, rollbacks: rollbacks)
        do {
            try AtomicFile.write(Array(text.utf8), to: path, mode: 0o644)
        } catch {
            // A metrics file never fails a run: the journal says why it is stale.
            logger.warning(
                "cannot write the metrics file \(path): \(error); check that its directory exists",
                metadata: ["path": "\(path)"])
        }
    }
}

/// Tells each reporter in turn.
struct OutcomeReporters: RunOutcomeReporting {
    let reporters: [any RunOutcomeReporting]

    func runFinished(_ outcome: RunOutcome) {
        for reporter in reporters { reporter.runFinished(outcome) }
    }
}
