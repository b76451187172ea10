/// The `[Install]` names of plain units: `WantedBy=`, `RequiredBy=` and `UpheldBy=` must be
/// valid unit names, `Alias=` and `Also=` must name units of the desired state, so enabling or
/// disabling one of ours never creates, replaces or removes a symlink of a unit we do not own.
enum InstallSectionChecks {
    static func diagnostics(services: [DecodedService], units: [DecodedUnit]) -> [Diagnostic] {
        let defined = Set(services.map(\.spec.unitName) + units.map(\.spec.name))
        var result: [Diagnostic] = []
        for unit in units {
            for entry in InstallSection(of: unit.spec.contents).entries {
                if let problem = UnitNameRules.referenceProblem(entry.name) {
                    result.append(diagnostic(unit.spec, entry, "\(problem.message); fix the unit file in git"))
                } else if InstallSection.ownedNameKeys.contains(entry.key), !defined.contains(entry.name) {
                    result.append(
                        diagnostic(
                            unit.spec, entry,
                            "names a unit the desired state does not define; \(entry.key)= may only name units"
                                + " reconciler owns, or enabling and disabling \(unit.spec.name) would"
                                + " \(entry.key == "Alias" ? "create or remove a symlink named" : "enable or disable")"
                                + " \(entry.name) too; define it in git or drop it from the unit"))
                }
            }
        }
        return result
    }

    /// At the document, under `source` or `contents`: the unit file has no YAML positions of its own.
    static func diagnostic(_ unit: UnitSpec, _ entry: InstallSection.Entry, _ message: String) -> Diagnostic {
        Diagnostic(
            at: unit.location, path: unit.sourcePath == nil ? "contents" : "source",
            "[Install] \(entry.key)=\(entry.name) \(message)")
    }
}
