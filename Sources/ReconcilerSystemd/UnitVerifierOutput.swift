import ReconcilerCore

/// Reads what `systemd-analyze verify` (systemd 252) prints and decides what blocks a deploy.
///
/// Its exit status cannot decide: an unknown key or an invalid value exits 0 (systemd merely
/// ignores the line), while a dependency on a unit that is not installed here exits 1. So
/// each line is attributed to one of our units and classified by its wording:
///
/// - `<dir>/<unit>:<line>: ...` is about a line of our file. It is an error when systemd
///   ignores something ("Unknown key 'ExecStrat' in section [Service], ignoring.",
///   "Unknown section 'Servce'. Ignoring.", "Failed to parse service restart specifier,
///   ignoring: sometimes", "Assignment outside of section. Ignoring.") or the line is invalid
///   ("Invalid section header '[Service'"); otherwise a warning (deprecations that systemd
///   still honours, such as "Unit uses MemoryLimit=; please use MemoryMax= instead.").
/// - `<unit>: Failed to create <unit>/start: Unit other.service not found.` is about another
///   unit (a dependency not installed where verify runs): a warning. Our own units in the
///   same batch are found, and their faults are reported on their own lines.
/// - `<unit>: ...` is an error when systemd refuses the unit ("Service has no ExecStart=,
///   ExecStop=, or SuccessAction=. Refusing.", "Timer unit lacks value setting. Refusing.",
///   "Unit configuration has fatal error, unit will not be started.") or an executable is
///   missing ("Command /usr/bin/x is not executable: No such file or directory"); otherwise
///   a warning.
/// - `Unit <unit> has a bad unit file setting.` / `Unit <unit> failed to load properly, ...`
///   sum up an error; they are kept only when no more precise line explains it.
/// - Anything else is about units that are not ours (the host's own units, which verify
///   loads as dependencies) and is left out.
enum UnitVerifierOutput {
    static func problems(in output: String, units: [String], directory: String) -> [UnitProblem] {
        var found: [UnitProblem] = []
        var summaries: [UnitProblem] = []
        for rawLine in output.split(separator: "\n") {
            let line = String(rawLine).trimmingTrailingWhitespace()
            for unit in units {
                if let problem = fileLine(line, unit: unit, directory: directory) ?? unitLine(line, unit: unit) {
                    found.append(problem)
                    break
                }
                if line.hasPrefix("Unit \(unit) ") {
                    summaries.append(UnitProblem(unit: unit, severity: .error, message: line))
                    break
                }
            }
        }
        for summary in summaries where !found.contains(where: { $0.unit == summary.unit && $0.isBlocking }) {
            if !found.contains(summary) { found.append(summary) }
        }
        // Grouped by unit in the order given, each unit's problems in systemd's order.
        return units.flatMap { unit in found.filter { $0.unit == unit } }
    }

    /// `<directory>/<unit>:<line>: <message>`
    private static func fileLine(_ line: String, unit: String, directory: String) -> UnitProblem? {
        let prefix = "\(directory)/\(unit):"
        guard line.hasPrefix(prefix) else { return nil }
        let rest = line.dropFirst(prefix.count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(": ") else {
            let message = String(rest.drop { $0 == " " })
            return UnitProblem(unit: unit, severity: .error, message: message)
        }
        let message = String(rest.dropFirst(digits.count + 2))
        let lowered = message.lowercased()
        let ignored = lowered.contains("ignoring") || message.hasPrefix("Invalid")
        return UnitProblem(unit: unit, line: Int(digits), severity: ignored ? .error : .warning, message: message)
    }

    /// `<unit>: <message>`
    private static func unitLine(_ line: String, unit: String) -> UnitProblem? {
        guard line.hasPrefix("\(unit): ") else { return nil }
        let message = String(line.dropFirst(unit.count + 2))
        if message.hasPrefix("Failed to create \(unit)/") {
            return UnitProblem(unit: unit, severity: .warning, message: message)
        }
        let refused = ["Refusing", "is not executable", "fatal error", "failed to load"].contains {
            message.contains($0)
        }
        return UnitProblem(unit: unit, severity: refused ? .error : .warning, message: message)
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var result = Substring(self)
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
        return String(result)
    }
}
