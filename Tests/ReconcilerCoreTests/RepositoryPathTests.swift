import ReconcilerTesting
import Testing

@testable import ReconcilerCore

/// Paths in manifests resolve inside the repository, component by component, or not at all.
struct RepositoryPathTests {
    static let tree = InMemoryTree([
        "Dockerfile": "FROM scratch\n",
        "app/Dockerfile": "FROM scratch\n",
        "app/src/main.py": "",
        "vendor/lib/x": "",
    ])
    .with("current", .symlink("app"))
    .with("app/link-up", .symlink("../Dockerfile"))
    .with("app/chain1", .symlink("chain2"))
    .with("app/chain2", .symlink("./src/../Dockerfile"))
    .with("escape", .symlink("../outside"))
    .with("deep-escape", .symlink("app/../../x"))
    .with("absolute", .symlink("/etc"))
    .with("empty-link", .symlink(""))
    .with("loop-a", .symlink("loop-b"))
    .with("loop-b", .symlink("loop-a"))
    .with("module", .submodule)

    @Test(arguments: [
        (".", ".", true),
        ("./", ".", true),
        ("app", "app", true),
        ("app/./src//", "app/src", true),
        ("app/src/..", "app", true),
        ("app/src/../../Dockerfile", "Dockerfile", false),
        ("current", "app", true),
        ("current/Dockerfile", "app/Dockerfile", false),
        ("current/../Dockerfile", "Dockerfile", false),
        ("app/link-up", "Dockerfile", false),
        ("app/chain1", "app/Dockerfile", false),
    ])
    func resolves(path: String, expected: String, isDirectory: Bool) throws {
        let resolved = try RepositoryPath.resolve(path, in: Self.tree).get()
        #expect(resolved.path == expected)
        #expect((resolved.entry == .directory) == isDirectory)
    }

    @Test(arguments: [
        ("", RepositoryPath.Problem.empty),
        ("/etc/passwd", .absolute("/etc/passwd")),
        ("..", .outside("..", link: nil, target: nil)),
        ("app/../../x", .outside("app/../../x", link: nil, target: nil)),
        ("escape", .outside("escape", link: "escape", target: "../outside")),
        ("deep-escape/y", .outside("deep-escape/y", link: "deep-escape", target: "app/../../x")),
        ("absolute/passwd", .outside("absolute/passwd", link: "absolute", target: "/etc")),
        ("empty-link", .outside("empty-link", link: "empty-link", target: "")),
        ("loop-a", .tooManySymlinks("loop-a")),
        ("nope", .notFound(path: "nope", missing: "nope")),
        ("app/nope/x", .notFound(path: "app/nope/x", missing: "app/nope")),
        ("Dockerfile/x", .notADirectory(path: "Dockerfile/x", file: "Dockerfile")),
        ("Dockerfile/..", .notADirectory(path: "Dockerfile/..", file: "Dockerfile")),
        ("module/x", .submodule(path: "module/x", submodule: "module")),
    ])
    func refuses(path: String, problem: RepositoryPath.Problem) {
        #expect(throws: problem) { try RepositoryPath.resolve(path, in: Self.tree).get() }
    }

    @Test func messagesSayWhereThePathLeads() {
        #expect(
            RepositoryPath.Problem.outside("escape", link: "escape", target: "../outside").description
                == "'escape' resolves outside the repository through the symlink 'escape' -> '../outside'")
        #expect(
            RepositoryPath.Problem.notFound(path: "app/nope/x", missing: "app/nope").description
                == "'app/nope/x' does not exist in the repository ('app/nope' is missing)")
    }

    @Test func exactlyFortySymlinksAreFollowed() throws {
        var tree = InMemoryTree(["target": "x"])
        for hop in 1...40 { tree = tree.with("l\(hop)", .symlink(hop == 40 ? "target" : "l\(hop + 1)")) }
        #expect(try RepositoryPath.resolve("l1", in: tree).get().path == "target")
        tree = tree.with("l0", .symlink("l1"))
        #expect(throws: RepositoryPath.Problem.tooManySymlinks("l0")) {
            try RepositoryPath.resolve("l0", in: tree).get()
        }
    }

    @Test(arguments: [("a/./b/../c", "a/c"), ("", "."), ("./", "."), ("a/..", ".")])
    func normalisesLexically(path: String, expected: String) {
        #expect(RepositoryPath.normalized(path) == expected)
    }

    @Test func lexicalNormalisationRefusesClimbingAboveTheRoot() {
        #expect(RepositoryPath.normalized("a/../..") == nil)
    }
}
