/// Files from git (`files:` of a Service): written and removed in the reconciler's own tree,
/// and the reload or restart a change to them asks of the unit that reads them.
extension Planner {
    /// Write each desired file that is missing or differs; remove each file of the tree that
    /// the desired state no longer names. Sorted by path.
    static func configFileActions(_ desired: DesiredHost, observed: ObservedState, commitPhrase: String)
        -> [PlannedAction]
    {
        var actions: [PlannedAction] = []
        let wanted = Set(desired.files.map(\.path))
        for file in desired.files {
            let current = observed.files[file.path]
            let reason: String
            if current == nil {
                reason = "new file from \(file.source)"
            } else if current?.contents != file.contents {
                reason = "the file differs from \(file.source) in \(commitPhrase)"
            } else if current?.mode != file.mode {
                reason = "its mode is \(octal(current?.mode ?? 0)), \(file.source) asks for \(octal(file.mode))"
            } else {
                continue
            }
            actions.append(PlannedAction(.writeFile, file.path, service: file.service, reason: reason))
        }
        for path in observed.files.keys.sorted() where !wanted.contains(path) {
            actions.append(
                PlannedAction(
                    .removeFile, path, service: service(ofFile: path),
                    reason: "the file is no longer in \(commitPhrase)"))
        }
        return actions.sorted { $0.target < $1.target }
    }

    /// The service whose directory holds `path` (`/var/lib/reconciler/files/SERVICE/…`).
    static func service(ofFile path: String) -> String? {
        let prefix = ConfigFile.hostDirectory + "/"
        guard path.hasPrefix(prefix), let owner = path.dropFirst(prefix.count).split(separator: "/").first,
            !owner.hasPrefix("unit+")
        else { return nil }
        return String(owner)
    }

    /// The files of `unit` this run writes or removes, as a phrase, or nil when none changes.
    static func changedFiles(of unit: DesiredUnit, in files: [PlannedAction]) -> String? {
        let own = Set(unit.files)
        // Removed files are no longer in `unit.files`: their directory says whose they were.
        let directory = "\(ConfigFile.hostDirectory)/\(unit.service ?? ConfigFile.owner(unit: unit.name))/"
        let changed = files.filter { own.contains($0.target) || $0.target.hasPrefix(directory) }.map(\.target)
        guard !changed.isEmpty else { return nil }
        return "its file\(changed.count == 1 ? "" : "s") \(changed.joined(separator: ", ")) changed"
    }

    static func octal(_ mode: UInt16) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
