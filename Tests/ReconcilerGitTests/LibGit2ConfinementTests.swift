import Foundation
import Testing

/// libgit2 stays in its wrapper files (issue 10): the rest of ReconcilerGit calls Swift methods,
/// so ownership, lifetimes and error mapping are decided in one place per handle.
struct LibGit2ConfinementTests {
    /// The handle types whose file, and whose `Type+Concern.swift` extensions, may call libgit2.
    static let wrapperTypes = ["GitRepository", "GitTree", "GitCommit", "GitRemote"]
    /// Single files that may call libgit2: error mapping and library setup.
    static let wrapperFiles: Set<String> = ["GitError.swift", "GitLibrary.swift"]

    @Test func libgit2IsCalledOnlyFromItsWrapperFiles() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ReconcilerGit")
        let names = try FileManager.default.contentsOfDirectory(atPath: sources.path)
            .filter { $0.hasSuffix(".swift") }.sorted()
        try #require(names.contains("GitRepository.swift"), "no ReconcilerGit sources in \(sources.path)")

        var offenders: [String] = []
        for name in names where !Self.isWrapperFile(name) {
            let text = try String(contentsOf: sources.appendingPathComponent(name), encoding: .utf8)
            offenders += Self.libgit2Uses(in: text).map { "\(name):\($0.line): \($0.token)" }
        }

        #expect(
            offenders.isEmpty,
            """
            libgit2 is used outside its wrapper files; move these calls into a \
            GitRepository/GitTree/GitCommit/GitRemote(+Concern).swift wrapper:
            \(offenders.joined(separator: "\n"))
            """)
    }

    @Test func theGuardSeesCallsTypesAndImportsButNotComments() {
        let source = """
            internal import CGit2
            // `git_remote_stop` cannot interrupt a blocked read.
            let link = "https://example.org"  // git_in_a_comment
            var oid = git_oid()
            let mine = pack_git2_leftover + my_git_helper()
            """

        let uses = Self.libgit2Uses(in: source)

        #expect(uses.map(\.token) == ["import CGit2", "git_oid"])
        #expect(uses.map(\.line) == [1, 4])
        #expect(Self.isWrapperFile("GitTree+Walk.swift"))
        #expect(!Self.isWrapperFile("GitTreeExport.swift"))
        #expect(!Self.isWrapperFile("MirrorVerification.swift"))
    }

    static func isWrapperFile(_ name: String) -> Bool {
        wrapperFiles.contains(name)
            || wrapperTypes.contains { name == "\($0).swift" || name.hasPrefix("\($0)+") && name.hasSuffix(".swift") }
    }

    /// Every `import CGit2` and every identifier that starts with `git_`, outside `//` comments.
    static func libgit2Uses(in source: String) -> [(line: Int, token: String)] {
        var uses: [(line: Int, token: String)] = []
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = withoutComment(line)
            if code.contains(/^\s*(?:@\w+\s+)*(?:\w+\s+)?import\s+CGit2\b/) {
                uses.append((index + 1, "import CGit2"))
            }
            // Whole identifiers, so `my_git_helper` and `pack_git2_` are not mistaken for libgit2.
            for match in code.matches(of: /[A-Za-z0-9_]*git_[A-Za-z0-9_]*/) where match.output.hasPrefix("git_") {
                uses.append((index + 1, String(match.output)))
            }
        }
        return uses
    }

    /// The line up to a `//` comment; a `//` inside a string literal (a URL) is code.
    private static func withoutComment(_ line: Substring) -> Substring {
        var inString = false
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if character == "\"" && previous != "\\" {
                inString.toggle()
            } else if !inString && character == "/" && previous == "/" {
                return line[..<line.index(before: index)]
            }
            previous = character
        }
        return line
    }
}
