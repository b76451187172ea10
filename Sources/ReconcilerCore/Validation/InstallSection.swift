/// The names a unit file's `[Install]` section makes systemd link to, read as systemd's parser
/// reads them: continuation lines joined, comments skipped, values split on whitespace.
///
/// Enabling a unit creates one symlink per name and disabling removes them, so these names
/// decide which units an enable or disable of ours can reach.
struct InstallSection {
    /// Keys whose names must be units the reconciler owns: `Alias=` creates a symlink with that
    /// name, and `Also=` enables and disables the named unit together with ours.
    static let ownedNameKeys: Set<String> = ["Alias", "Also"]
    /// Keys naming units that pull ours in; the symlink is named after our unit, so any valid
    /// unit name will do.
    static let dependentKeys: Set<String> = ["WantedBy", "RequiredBy", "UpheldBy"]

    /// One name of one directive, e.g. `Alias` and `web-alias.service`.
    struct Entry: Equatable {
        var key: String
        var name: String
    }

    var entries: [Entry] = []

    init(of contents: String) {
        var section = ""
        for line in Self.logicalLines(contents) {
            if line.hasPrefix("[") {
                section = line
                continue
            }
            guard section == "[Install]", let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingBlanks()
            guard Self.ownedNameKeys.contains(key) || Self.dependentKeys.contains(key) else { continue }
            let value = line[line.index(after: equals)...]
            for name in value.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                entries.append(Entry(key: key, name: String(name)))
            }
        }
    }

    /// Lines as systemd's parser sees them: a line ending in a backslash is joined to the next
    /// (comments inside a continuation are skipped), blanks trimmed, comments and empty lines dropped.
    static func logicalLines(_ contents: String) -> [String] {
        var result: [String] = []
        var pending: String?
        let physical = contents.unicodeScalars.split(omittingEmptySubsequences: false) {
            $0 == "\n" || $0 == "\r" || $0 == "\0"
        }
        for scalars in physical {
            let raw = String(String.UnicodeScalarView(scalars))
            let trimmed = raw.trimmingBlanks()
            if pending != nil, trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if SystemdEscaping.endsInBackslash(raw) {
                pending = (pending ?? "") + String(trimmed.dropLast()) + " "
                continue
            }
            let line = ((pending ?? "") + trimmed).trimmingBlanks()
            pending = nil
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            result.append(line)
        }
        if let pending, !pending.trimmingBlanks().isEmpty { result.append(pending.trimmingBlanks()) }
        return result
    }
}

extension String {
    fileprivate func trimmingBlanks() -> String {
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        return String(drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }
}
