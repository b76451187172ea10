import ArgumentParser
import Foundation
import ReconcilerTesting
import Testing

@testable import ReconcilerCLI

/// The man page (scripts/generate-manual) and the bash completion script are generated
/// from the command tree; these tests derive what they must contain from the same tree,
/// so a new command or option that the generators miss fails here.
struct GeneratedDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A displayed command: its words ("reconciler diff") and its displayed option names.
    struct CommandEntry {
        var path: [String]
        var options: [String]
    }

    /// Every command of the tree that --help shows, nested ones too, with its options.
    static func commandTree() throws -> [CommandEntry] {
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(Reconciler._dumpHelp().utf8)) as? [String: Any])
        var entries: [CommandEntry] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let arguments = (command["arguments"] as? [[String: Any]] ?? []).filter {
                $0["shouldDisplay"] as? Bool ?? true
            }
            let options = arguments.filter { $0["kind"] as? String != "positional" }.flatMap { argument in
                (argument["names"] as? [[String: String]] ?? []).map { name in
                    (name["kind"] == "short" ? "-" : "--") + (name["name"] ?? "")
                }
            }
            entries.append(CommandEntry(path: path, options: options))
            for sub in command["subcommands"] as? [[String: Any]] ?? [] where sub["shouldDisplay"] as? Bool ?? true {
                walk(sub, path + [sub["commandName"] as? String ?? ""])
            }
        }
        let top = try #require(json["command"] as? [String: Any])
        walk(top, [top["commandName"] as? String ?? ""])
        return entries
    }

    /// The page from `toolInfo`, rendered by man-db as a reader sees it (no line wrapping),
    /// and man's warnings.
    static func renderedManual(_ toolInfo: String) throws -> (text: String, warnings: String) {
        let generated = try ToolRun.run(
            "/usr/bin/python3", [root.path + "/scripts/generate-manual"], input: toolInfo, timeout: 60)
        try #require(generated.status == 0, "\(generated)")
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-\(UUID().uuidString).1")
        try generated.standardOutput.write(to: page, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: page) }
        let man = try ToolRun.run(
            "/usr/bin/man", ["--warnings", "-E", "UTF-8", "-l", page.path],
            environment: ["MANWIDTH": "2000", "LC_ALL": "C.UTF-8", "MANPAGER": "cat", "PAGER": "cat"], timeout: 60)
        try #require(man.status == 0, "\(man)")
        return (man.standardOutput, man.standardError)
    }

    @Test("The man page has a section for every command and lists each of its options there")
    func theManPageCoversTheCommandTree() throws {
        let tree = try Self.commandTree()
        let (text, warnings) = try Self.renderedManual(Reconciler._dumpHelp())

        #expect(warnings.isEmpty, "man warns about the page: \(warnings)")
        #expect(tree.count > 10, "the tree walk found only \(tree.map(\.path))")
        let lines = text.components(separatedBy: "\n")
        // Subsection headings are indented three spaces: "   reconciler diff [options] ...".
        let headings = lines.indices.filter { lines[$0].hasPrefix("   reconciler") }
        for entry in tree.dropFirst() {
            let name = entry.path.joined(separator: " ")
            let start = try #require(
                headings.first { lines[$0].hasPrefix("   " + name + " ") || lines[$0] == "   " + name },
                "no section for `\(name)`")
            let end = headings.first { $0 > start } ?? lines.count
            let section = lines[start..<end].joined(separator: "\n")
            for option in entry.options {
                #expect(section.contains(option), "`\(name)` does not list \(option) in the man page")
            }
        }
        let options = tree[0].options
        #expect(options.allSatisfy { text.contains($0) }, "the page lacks one of \(options)")
    }

    @Test(
        "Text that roff would read as markup is printed as written",
        arguments: [
            ".hidden would be a request at the start of a line",
            "'also a request with a quote",
            "a backslash \\fB stays a backslash",
            "--log-level and --log-target keep their hyphens",
        ])
    func roffMarkupInTextIsEscaped(abstract: String) throws {
        let toolInfo: [String: Any] = [
            "serializationVersion": 0,
            "command": [
                "commandName": "reconciler", "abstract": "tool",
                "subcommands": [["commandName": "sub", "abstract": "x", "discussion": abstract]],
            ],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: toolInfo), as: UTF8.self)

        let (text, warnings) = try Self.renderedManual(json)

        #expect(warnings.isEmpty, "\(warnings)")
        #expect(text.contains(abstract), "\(text)")
    }

    /// Runs the bash completion function on the command line `line` (cursor at its end)
    /// and returns what bash offers.
    static func bashCompletions(_ line: String) throws -> [String] {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reconciler-\(UUID().uuidString).bash")
        try Reconciler.completionScript(for: .bash).write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let driver = """
            source "$1" || exit 10
            complete -p reconciler || exit 11
            read -r -a COMP_WORDS <<<"$2"
            [[ "$2" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=$2; COMP_POINT=${#2}
            _reconciler reconciler "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let run = try ToolRun.run("/bin/bash", ["--norc", "-c", driver, "bash", script.path, line], timeout: 60)
        try #require(run.status == 0, "\(run)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        try #require(lines.first?.hasPrefix("complete ") == true, "complete -p reconciler printed: \(run)")
        return Array(lines.dropFirst()).sorted()
    }

    @Test(
        "Bash completes subcommands and options by prefix",
        arguments: [
            ("reconciler st", ["status"]),
            ("reconciler re", ["render", "resume", "retry"]),
            ("reconciler diff --log-", ["--log-level", "--log-target"]),
        ])
    func bashCompletesByPrefix(line: String, expected: [String]) throws {
        #expect(try Self.bashCompletions(line) == expected)
    }

    @Test("Bash offers every subcommand of the tree after `reconciler `")
    func bashOffersEverySubcommand() throws {
        let subcommands = try Self.commandTree().filter { $0.path.count == 2 }.map { $0.path[1] }

        let offered = try Self.bashCompletions("reconciler ")

        #expect(Set(subcommands).isSubset(of: Set(offered)), "offered \(offered), the tree has \(subcommands)")
    }
}
