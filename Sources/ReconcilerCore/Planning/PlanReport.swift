/// A plan as `reconciler diff` prints it for people: refusals first, since they block the
/// run, then the numbered actions with their reasons, each rewritten unit file with its diff.
public enum PlanReport {
    public static func text(_ plan: Plan, desired: DesiredHost, observed: ObservedState) -> String {
        let commit = String(desired.commit.prefix(12))
        let commitPhrase = commit.isEmpty ? "the desired state" : "commit \(commit)"
        guard !plan.isEmpty else { return "in sync with \(commitPhrase)\n" }

        var output = ""
        if !plan.refusals.isEmpty {
            let count = plan.refusals.count
            output += "\(count) refusal\(count == 1 ? "" : "s"): nothing changes until "
            output += count == 1 ? "it is resolved\n" : "they are resolved\n"
            for refusal in plan.refusals { output += "  \(refusal)\n" }
        }
        guard !plan.actions.isEmpty else { return output }
        if !output.isEmpty { output += "\n" }

        let count = plan.actions.count
        output += "\(count) action\(count == 1 ? "" : "s") "
        output +=
            plan.refusals.isEmpty
            ? "to converge on \(commitPhrase):\n" : "held back by the refusal\(plan.refusals.count == 1 ? "" : "s"):\n"
        let contents = Dictionary(desired.units.map { ($0.name, $0.contents) }, uniquingKeysWith: { first, _ in first })
        let files = Dictionary(desired.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let width = String(count).count
        for (index, action) in plan.actions.enumerated() {
            let number = String(index + 1)
            output += String(repeating: " ", count: width - number.count) + "\(number). \(action)\n"
            if action.kind == .writeFile, let old = observed.files[action.target], let new = files[action.target] {
                output += fileDiff(old: old.contents, new: new, commit: commit)
                continue
            }
            guard action.kind == .writeUnit, let unit = observed.units[action.target], let old = unit.fileContents,
                let new = contents[action.target]
            else { continue }
            output += UnifiedDiff.lines(
                old: old, new: new,
                oldLabel: "\(unit.filePath) (on host)",
                newLabel: "\(action.target) (desired\(commit.isEmpty ? "" : ", commit \(commit)"))")
        }
        return output
    }

    /// A file from git as a unified diff, like a unit file: files are configuration (secrets
    /// are age files and never land here). Bytes that are not UTF-8 text are not printed.
    static func fileDiff(old: [UInt8], new: DesiredFile, commit: String) -> String {
        guard old != new.contents else { return "" }
        guard let oldText = String(validating: old, as: UTF8.self),
            let newText = String(validating: new.contents, as: UTF8.self)
        else { return "     binary file: \(old.count) bytes on the host, \(new.contents.count) in \(new.source)\n" }
        return UnifiedDiff.lines(
            old: oldText, new: newText, oldLabel: "\(new.path) (on host)",
            newLabel: "\(new.source) (desired\(commit.isEmpty ? "" : ", commit \(commit)"))")
    }
}
