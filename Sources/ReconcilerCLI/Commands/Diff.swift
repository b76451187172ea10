import ArgumentParser
import Foundation
import ReconcilerCore
import ReconcilerEngine

extension Reconciler {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how this host differs from the desired state: what `once` would do, and why.",
            discussion: "Exits 0 when the host is in sync, 1 when it drifted, 2 on error (as diff(1)).")

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
                assessment = try reconciliation.diff()
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
    }
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

    init(_ assessment: Assessment) {
        inSync = assessment.plan.isEmpty && assessment.unhealthy.isEmpty
        unhealthy = assessment.unhealthy
        heldBack = assessment.heldBack
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
