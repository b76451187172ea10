import Foundation

/// `scripts/machine-programs` and the package list of `scripts/install-dependencies`, read
/// from this checkout.
struct ProgramManifest {
    /// Program names or absolute paths that run on the machine itself.
    var programs: [String]
    /// Names that code mentions but that run only inside hosts, or are no programs at all.
    var hostOnly: Set<String>

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func load() throws -> ProgramManifest {
        let text = try String(
            contentsOf: repository.appendingPathComponent("scripts/machine-programs"), encoding: .utf8)
        var manifest = ProgramManifest(programs: [], hostOnly: [])
        for line in text.split(separator: "\n") {
            let words = line.prefix { $0 != "#" }.split(separator: " ").map(String.init)
            switch words.count {
            case 0: continue
            case 1: manifest.programs.append(words[0])
            case 2 where words[0] == "host-only" || words[0] == "not-a-program": manifest.hostOnly.insert(words[1])
            default: throw ManifestProblem(line: String(line))
            }
        }
        return manifest
    }

    /// The names listed, with absolute paths reduced to their last component.
    var names: Set<String> {
        Set(programs.map { $0.split(separator: "/").last.map(String.init) ?? $0 })
    }

    struct ManifestProblem: Error, CustomStringConvertible {
        var line: String
        var description: String { "scripts/machine-programs: cannot read the line '\(line)'" }
    }
}

/// The packages `scripts/install-dependencies` installs: the words of its `PACKAGES=( … )`
/// array, comments left out.
enum InstalledPackageList {
    static func load() throws -> Set<String> {
        let text = try String(
            contentsOf: ProgramManifest.repository.appendingPathComponent("scripts/install-dependencies"),
            encoding: .utf8)
        guard let start = text.range(of: "PACKAGES=(") else { return [] }
        var packages = Set<String>()
        for line in text[start.upperBound...].split(separator: "\n") {
            let code = line.prefix { $0 != "#" }
            let closes = code.contains(")")
            for word in code.prefix(while: { $0 != ")" }).split(separator: " ") { packages.insert(String(word)) }
            if closes { break }
        }
        return packages
    }
}
