import Foundation
public import Logging
public import ReconcilerContainers
public import ReconcilerCore
public import ReconcilerGit
public import ReconcilerStore
public import ReconcilerSystemd

/// Carries out a plan, one action at a time, each recorded in the store before it starts
/// and marked with its outcome after. The first failure stops the run: later steps depend
/// on earlier ones (a unit is not restarted on an image that failed to build).
public struct PlanApplier {
    public var systemd: SystemdManager
    public var containers: ContainerEngine
    public var store: StateStore
    public var unitFiles: UnitFiles
    public var mirror: GitRepository
    /// Where build contexts are exported, one directory per tree id.
    public var buildDirectory: String
    public var logger: Logger
    /// Called before each action: the agent's watchdog counts it as progress.
    public var progress: (@Sendable () -> Void)?

    public init(
        systemd: SystemdManager, containers: ContainerEngine, store: StateStore, unitFiles: UnitFiles,
        mirror: GitRepository, buildDirectory: String, logger: Logger
    ) {
        self.systemd = systemd
        self.containers = containers
        self.store = store
        self.unitFiles = unitFiles
        self.mirror = mirror
        self.buildDirectory = buildDirectory
        self.logger = logger
    }

    public func apply(_ plan: Plan, desired: DesiredHost, run: Int64) throws(ReconcileError) {
        let ids: [Int64]
        do {
            ids = try store.recordIntent(run: run, actions: plan.actions)
        } catch {
            throw ReconcileError(.store, "cannot record the planned actions: \(error)", commit: desired.commit)
        }
        let units = Dictionary(uniqueKeysWithValues: desired.units.map { ($0.name, $0) })
        let images = Dictionary(desired.images.map { ($0.reference, $0) }) { first, _ in first }
        for (action, id) in zip(plan.actions, ids) {
            var metadata: Logger.Metadata = [
                "commit": "\(desired.commit)", "action": "\(action.kind.rawValue)", "reason": "\(action.reason)",
            ]
            if !action.target.isEmpty { metadata["target"] = "\(action.target)" }
            if let service = action.service { metadata["service"] = "\(service)" }
            let title = action.target.isEmpty ? action.kind.rawValue : "\(action.kind.rawValue) \(action.target)"
            logger.info("\(title)", metadata: metadata)
            let started = Date()
            progress?()
            do {
                try perform(action, unit: units[action.target], image: images[action.target], commit: desired.commit)
                try? store.markAction(id, state: .succeeded, message: nil)
                metadata["seconds"] = "\(String(format: "%.2f", Date().timeIntervalSince(started)))"
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
        _ action: PlannedAction, unit: DesiredUnit?, image: DesiredImage?, commit: String
    ) throws(ReconcileError) {
        let name = action.target
        do {
            switch action.kind {
            case .buildImage:
                guard let image, case .build(let context, let dockerfile, let arguments) = image.origin else { return }
                let directory = try exportContext(context, commit: commit)
                let file = try dockerfilePath(dockerfile, context: context, exported: directory, commit: commit)
                _ = try containers.build(
                    reference: name, contextDirectory: directory, dockerfile: file, arguments: arguments, timeout: 1800)
                try store.recordImage(name, service: image.service, commit: commit)
            case .pullImage:
                _ = try containers.pull(name, timeout: 600)
                try store.recordImage(name, service: image?.service ?? action.service ?? "", commit: commit)
            case .writeUnit:
                guard let unit else { return }
                // Recorded first: a crash right after the write must not leave an unowned file of ours.
                try store.recordUnitWritten(name, commit: commit)
                try unitFiles.write(unit.contents, to: name)
            case .removeUnit:
                try unitFiles.remove(name)
                try store.recordUnitRemoved(name)
                // A unit that failed before it left must not keep the host "degraded".
                try? systemd.resetFailed(name)
            case .daemonReload:
                try systemd.daemonReload()
            case .enable:
                try systemd.enableUnitFiles([name])
            case .disable:
                try systemd.disableUnitFiles([name])
            case .start:
                try systemd.startUnit(name)
            case .restart:
                try systemd.restartUnit(name)
            case .stop:
                try systemd.stopUnit(name)
            }
        } catch let error as ReconcileError {
            throw error
        } catch {
            throw ReconcileError(.apply, "\(action.kind.rawValue) \(name): \(error)", commit: commit)
        }
    }

    private func exportContext(_ context: String, commit: String) throws(ReconcileError) -> String {
        do {
            return try mirror.export(path: context, at: commit, into: buildDirectory)
        } catch {
            throw ReconcileError(.apply, "cannot export the build context: \(error)", commit: commit)
        }
    }

    /// The Dockerfile as a path podman can read. Manifest paths are relative to the repository
    /// root; a Dockerfile outside the context is written next to the export from the commit.
    private func dockerfilePath(
        _ dockerfile: String, context: String, exported: String, commit: String
    ) throws(ReconcileError) -> String {
        let prefix = context == "." || context.isEmpty ? "" : context + "/"
        if prefix.isEmpty || dockerfile.hasPrefix(prefix) {
            return exported + "/" + dockerfile.dropFirst(prefix.count)
        }
        let target = exported + ".Dockerfile"
        do {
            let bytes = try mirror.tree(at: commit).contents(of: dockerfile)
            try Data(bytes).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw ReconcileError(.apply, "cannot read \(dockerfile) from commit \(commit): \(error)", commit: commit)
        }
        return target
    }
}
