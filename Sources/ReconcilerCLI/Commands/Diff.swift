import ArgumentParser
import Foundation
import ReconcilerCore
import ReconcilerEngine

extension Reconciler {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how this host differs from the desired state: what `once` would do, and why.",
            discussion: """
                With SERVICE names, shows only their units, containers, images and health checks. \
                Exits 0 when the host (or the selection) is in sync, 1 when it drifted, 2 on error (as diff(1)).
                """)

        @Argument(help: "Only these services or units (default: all).")
        var services: [String] = []

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Output format: text or json.")
        var output: OutputFormat = .text

        func run() throws {
            let logger = global.makeLogger()
            let assessment: Assessment
            do {
                let configuration = try host.load()
                let reconciliation = Composition.reconciliation(configuration, logger: logger)
                assessment = try select(reconciliation.diff())
            } catch let error as ReconcileError {
                printError("reconciler diff: \(error.message)")
                throw ExitCode(2)
            } catch {
                printError("reconciler diff: \(error)")
                throw ExitCode(2)
            }
            switch output {
            case .json:
                print(try JSONOutput.encode(DiffOutput(assessment)))
            case .text:
                // The commit's summary and the unit files come from git: shown, not obeyed.
                let summary = TerminalSafeText.sanitized(assessment.commit.summary, multiline: false)
                print("commit \(assessment.commit.id.prefix(12)) \(summary)")
                if let held = assessment.heldBack {
                    print("commit \(held.prefix(12)) is quarantined and held back (see `reconciler status`)")
                }
                if let waiting = assessment.waiting { print("ring gate: \(waiting)") }
                let report = PlanReport.text(
                    assessment.plan, desired: assessment.desired, observed: assessment.observed)
                print(TerminalSafeText.sanitized(report), terminator: "")
                for unhealthy in assessment.unhealthy {
                    let detail = TerminalSafeText.sanitized(unhealthy.detail, multiline: false)
                    print("unhealthy: \(unhealthy.service): \(detail)")
                }
            }
            if !assessment.plan.isEmpty || !assessment.unhealthy.isEmpty { throw ExitCode(1) }
        }

        /// The assessment restricted to the services asked for; all of it without names.
        private func select(_ assessment: Assessment) throws -> Assessment {
            guard !services.isEmpty else { return assessment }
            let selection = ServiceSelection(names: services)
            let unknown = selection.unknownNames(desired: assessment.desired, inventory: assessment.inventory)
            guard unknown.isEmpty else {
                let known = ServiceSelection.knownNames(desired: assessment.desired, inventory: assessment.inventory)
                throw UnknownSelection(
                    description:
                        "no service or unit named \(unknown.map { "'\($0)'" }.joined(separator: ", ")) on this host "
                        + "at commit \(assessment.commit.id.prefix(12)); known: "
                        + (known.isEmpty ? "none" : known.joined(separator: ", ")))
            }
            var selected = assessment
            selected.plan = selection.plan(assessment.plan, desired: assessment.desired)
            let units = Set(
                assessment.desired.units.filter { selection.selects($0) }.compactMap(\.service))
            selected.unhealthy = assessment.unhealthy.filter { units.contains($0.service) }
            return selected
        }
    }
}

/// `diff SERVICE…` named something the desired state and the inventory do not have.
struct UnknownSelection: Error, CustomStringConvertible {
    var description: String
}

/// `diff --output json`.
struct DiffOutput: Encodable {
    var inSync: Bool
    var commit: String
    var actions: [PlannedAction]
    var refusals: [Refusal]
    var unitDiffs: [String: String]
    var unhealthy: [UnhealthyService]
    var heldBack: String?
    var waiting: RingWait?

    init(_ assessment: Assessment) {
        inSync = assessment.plan.isEmpty && assessment.unhealthy.isEmpty
        unhealthy = assessment.unhealthy
        heldBack = assessment.heldBack
        waiting = assessment.waiting
        commit = assessment.commit.id
        actions = assessment.plan.actions
        refusals = assessment.plan.refusals
        var diffs: [String: String] = [:]
        let desired = Dictionary(uniqueKeysWithValues: assessment.desired.units.map { ($0.name, $0.contents) })
        for action in assessment.plan.actions where action.kind == .writeUnit {
            let old = assessment.observed.units[action.target]?.fileContents ?? ""
            diffs[action.target] = UnifiedDiff.lines(
                old: old, new: desired[action.target] ?? "", oldLabel: "\(action.target) (on host)",
                newLabel: "\(action.target) (desired)")
        }
        unitDiffs = diffs
    }
}
