import ReconcilerCore
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
}
