import Foundation
import Logging
public import ReconcilerCore

/// Carries out a plan, one action at a time, each recorded in the store before it starts
/// and marked with its outcome after. The first failure stops the run: later steps depend
/// on earlier ones (a unit is not restarted on an image that failed to build).
public struct PlanApplier {
    let ports: EnginePorts
    let source: any DesiredStateSource
    let store: any RunStore
    /// Where build contexts are exported, one directory per tree id.
    let buildDirectory: String
    let logger: Logger
    /// Called before each action: the agent's watchdog counts it as progress.
    public var progress: (@Sendable () -> Void)?
    /// Whether an action that changes the host (anything but a build or a pull) was started.
    let trace = ApplyTrace()
    /// Adds up the time spent applying, across the appliers of one run.
    var tally: RunTally?
    /// Called with the service after each restart or reload: a rolling instance's health check
    /// passes here before the next instance is touched, and a failure stops the plan.
    var gate: ((String) throws(ReconcileError) -> Void)?

    init(
        ports: EnginePorts, source: any DesiredStateSource, store: any RunStore, buildDirectory: String,
        logger: Logger
    ) {
        self.ports = ports
        self.source = source
        self.store = store
        self.buildDirectory = buildDirectory
        self.logger = logger
    }

    public func apply(_ plan: Plan, desired: DesiredHost, run: Int64) throws(ReconcileError) {
        let started = ports.clock.now()
        defer { tally?.applySeconds += ports.clock.now().timeIntervalSince(started) }
        let ids: [Int64]
        do {
            ids = try store.recordIntent(run: run, actions: plan.actions)
        } catch {
            throw ReconcileError(.store, "cannot record the planned actions: \(error)", commit: desired.commit)
        }
        if plan.actions.contains(where: { $0.kind == .buildImage }) {
            // A context is only needed while its image builds: nothing is kept between runs.
            defer { removeBuildContexts(commit: desired.commit) }
            try apply(plan.actions, ids: ids, desired: desired)
        } else {
            try apply(plan.actions, ids: ids, desired: desired)
        }
    }

    private func apply(_ actions: [PlannedAction], ids: [Int64], desired: DesiredHost) throws(ReconcileError) {
        let units = Dictionary(uniqueKeysWithValues: desired.units.map { ($0.name, $0) })
        let images = Dictionary(desired.images.map { ($0.reference, $0) }) { first, _ in first }
        let files = Dictionary(desired.files.map { ($0.path, $0) }) { first, _ in first }
        for (action, id) in zip(actions, ids) {
            var metadata: Logger.Metadata = [
                "commit": "\(desired.commit)", "action": "\(action.kind.rawValue)", "reason": "\(action.reason)",
            ]
            if !action.target.isEmpty { metadata["target"] = "\(action.target)" }
            if let service = action.service { metadata["service"] = "\(service)" }
            let title = action.target.isEmpty ? action.kind.rawValue : "\(action.kind.rawValue) \(action.target)"
            // The reason names the step for people (LogStory puts it in the message); this
            // field lets `journalctl RECONCILER_ROLLING=…` find a rollout's steps.
            if let rolling = action.rolling {
                metadata["rolling"] = "\(rolling.group) \(rolling.step)/\(rolling.steps)"
            }
            logger.info("\(title)", metadata: metadata)
            let started = ports.clock.now()
            progress?()
            if action.kind != .buildImage && action.kind != .pullImage { trace.changedHost = true }
            do {
                try perform(
                    action, unit: units[action.target], image: images[action.target], file: files[action.target],
                    commit: desired.commit)
                // Not after a start: a new or stopped instance had nothing to keep serving, and
                // waiting for it here would hold back the rest of the plan, such as starting the
                // database it needs (a fresh host deadlocked on blog-1 before blog-db). The health
                // check after the plan still checks it.
                if action.kind == .restart || action.kind == .reload, let service = action.service {
                    try gate?(service)
                }
                try? store.markAction(id, state: .succeeded, message: nil)
                let seconds = ports.clock.now().timeIntervalSince(started)
                metadata["seconds"] = "\(String(format: "%.2f", seconds))"
                logger.debug("done", metadata: metadata)
            } catch {
                try? store.markAction(id, state: .failed, message: error.message)
                metadata["error"] = "\(error.message)"
                logger.error("\(action.kind.rawValue) \(action.target) failed", metadata: metadata)
                throw error
            }
        }
    }

    private func perform(
        _ action: PlannedAction, unit: DesiredUnit?, image: DesiredImage?, file: DesiredFile?, commit: String
    ) throws(ReconcileError) {
        let name = action.target
        let units = ports.units
        do {
            switch action.kind {
            case .buildImage:
                guard let image, case .build(let context, let dockerfile, let arguments) = image.origin else { return }
                let exported = try exportContext(context, dockerfile: dockerfile, commit: commit)
                _ = try ports.containers.build(
                    reference: name, contextDirectory: exported.directory, dockerfile: exported.dockerfile,
                    arguments: arguments, timeout: 1800)
                try store.recordImage(name, service: image.service, commit: commit)
            case .pullImage:
                _ = try ports.containers.pull(name, timeout: 600)
                try store.recordImage(name, service: image?.service ?? action.service ?? "", commit: commit)
            case .writeUnit:
                guard let unit else { return }
                // Recorded first: a crash right after the write must not leave an unowned file of ours.
                try store.recordUnitWritten(name, commit: commit)
                try units.writeUnitFile(name, contents: unit.contents)
            case .removeUnit:
                try units.removeUnitFile(name)
                try store.recordUnitRemoved(name)
                // A unit that failed before it left must not keep the host "degraded".
                try? units.resetFailed(name)
            case .writeFile:
                guard let file else { return }
                try units.writeFile(name, contents: file.contents, mode: file.mode)
            case .removeFile:
                try units.removeFile(name)
            case .reload:
                try units.reload(name)
            case .daemonReload:
                try units.daemonReload()
            case .enable:
                try units.enable([name])
            case .disable:
                try units.disable([name])
            case .start:
                try units.start(name)
            case .restart:
                try units.restart(name)
            case .stop:
                try units.stop(name)
            }
        } catch let error as ReconcileError {
            throw error
        } catch {
            throw ReconcileError(
                .apply, ActionFailure.message("\(action.kind.rawValue) \(name)", "\(error)"), commit: commit)
        }
    }

    private func removeBuildContexts(commit: String) {
        do {
            try source.removeBuildContexts(in: buildDirectory)
        } catch {
            logger.warning("\(error)", metadata: ["commit": "\(commit)"])
        }
    }

    private func exportContext(
        _ context: String, dockerfile: String, commit: String
    ) throws(ReconcileError) -> ExportedBuildContext {
        do {
            return try source.exportBuildContext(context, dockerfile: dockerfile, at: commit, into: buildDirectory)
        } catch {
            throw ReconcileError(.apply, "cannot export the build context: \(error)", commit: commit)
        }
    }
}

/// What an apply got to: a failure before any host change leaves nothing to roll back.
final class ApplyTrace {
    var changedHost = false
}

/// What one run did beyond its report: the outcome is built from it.
final class RunTally {
    var applySeconds: Double = 0
    /// The differences the run's plan found.
    var drift = 0
    /// The release the run rolled back, when it did.
    var rolledBack: Int64?
}
