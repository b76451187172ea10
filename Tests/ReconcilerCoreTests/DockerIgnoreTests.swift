import ReconcilerCore
import ReconcilerTesting
import Testing

struct DockerIgnoreTests {
    /// The repository's own .dockerignore: an allow-list.
    static let blog = """
        # Send only what the image needs
        *
        !Dockerfile
        !app/
        app/tests
        app/.venv
        **/__pycache__
        **/*.pyc
        """

    @Test(arguments: [
        ("Dockerfile", true),
        ("app/flaskr/__init__.py", true),
        ("app/requirements.txt", true),
        ("app/tests/test_blog.py", false),
        ("app/flaskr/__pycache__/x.cpython-311.pyc", false),
        ("app/flaskr/schema.pyc", false),
        ("desired-state/blog.yaml", false),
        ("README.md", false),
        (".dockerignore", false),
    ])
    func theBlogsAllowListSendsOnlyTheApp(path: String, included: Bool) {
        #expect(DockerIgnore(Self.blog).includes(path) == included)
    }

    @Test(arguments: [
        ("", "anything/at/all", true),
        ("docs\n", "docs/guide.md", false),
        ("docs\n", "src/docs.swift", true),
        ("*.md\n!README.md\n", "README.md", true),
        ("*.md\n!README.md\n", "CHANGES.md", false),
        ("*.md\n", "docs/CHANGES.md", true),
        ("**/*.md\n", "docs/CHANGES.md", false),
        ("build?\n", "build1/x", false),
        ("./tmp/\n", "tmp/cache", false),
    ])
    func patternsFollowDockersRules(rules: String, path: String, included: Bool) {
        #expect(DockerIgnore(rules).includes(path) == included)
    }

    /// Patterns many stars long against paths that almost match: a backtracking matcher tries
    /// every way to split the path between the stars (C(60, 14) ways for the first).
    @Test(
        "a pathological pattern is matched in linear time",
        arguments: [
            (String(repeating: "*a", count: 14) + "*b", String(repeating: "a", count: 60)),
            (String(repeating: "**/a/", count: 14) + "b", Array(repeating: "a", count: 60).joined(separator: "/")),
            (
                String(repeating: "**/*a/", count: 10) + "*b",
                Array(repeating: "aaaaaaaa", count: 30).joined(separator: "/")
            ),
        ])
    func aPathologicalPatternIsMatchedInLinearTime(pattern: String, path: String) {
        let rules = DockerIgnore(pattern)
        let clock = ContinuousClock()

        let elapsed = clock.measure { #expect(rules.includes(path)) }

        #expect(elapsed < .milliseconds(500), "took \(elapsed)")
    }

    @Test(arguments: [
        ("a*b*c", "axxbyyc", true),
        ("a*b*c", "axxbyy", false),
        ("?", "é", true),
        ("**/x", "x", true),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/c/d/b/e", true),
        ("a/**/b", "a/c/d/e", false),
        ("*/*", "a", false),
        ("*/*", "a/b/c", true),
    ])
    func starsMatchWhatTheyShould(pattern: String, path: String, excluded: Bool) {
        #expect(DockerIgnore(pattern).includes(path) == !excluded)
    }

    /// A context whose .env is excluded by its .containerignore only.
    static let dockerOnly = InMemoryTree([
        "Dockerfile": "FROM scratch\nCOPY . /\n",
        ".dockerignore": "*.log\n",
        ".env": "SECRET=1\n",
        "main.py": "print(1)\n",
    ])
    static let both = dockerOnly.with(".containerignore", text: "*.log\n.env\n")

    static func tag(_ tree: InMemoryTree, _ runtime: ContainerRuntime) throws -> String {
        let service = ServiceSpec(
            name: "app", image: .build(BuildSpec(context: ".", dockerfile: "Dockerfile")),
            location: SourceLocation(file: "desired-state/app.yaml", line: 1, column: 1))
        let host = try DesiredHostBuilder(runtime: runtime).build(
            DesiredState(services: [service]), tree: tree, commit: String(repeating: "0", count: 40))
        return try #require(host.images.first?.reference)
    }

    @Test("podman's .containerignore wins over .dockerignore for the image tag; docker reads only .dockerignore")
    func containerIgnoreWinsForPodman() throws {
        let secret = (".env", InMemoryTree.Item.file(Array("SECRET=2\n".utf8)))

        #expect(try Self.tag(Self.both, .podman) == Self.tag(Self.both.with(secret.0, secret.1), .podman))
        #expect(try Self.tag(Self.both, .docker) != Self.tag(Self.both.with(secret.0, secret.1), .docker))
        // Without a .containerignore, podman falls back to .dockerignore.
        #expect(try Self.tag(Self.dockerOnly, .podman) != Self.tag(Self.dockerOnly.with(secret.0, secret.1), .podman))
    }
}
