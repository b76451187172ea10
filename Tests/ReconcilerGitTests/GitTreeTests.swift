import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// Reading a commit's tree from the object database.
struct GitTreeTests {
    /// A repository with every entry kind: files, an executable, a symlink and a gitlink.
    static func everyKind() throws -> TemporaryGitRepository {
        let fixture = try TemporaryGitRepository()
        try fixture.stage("apps/web/index.html", "<h1>hi</h1>\n")
        try fixture.stage("apps/web/run.sh", "#!/bin/sh\necho hi\n", executable: true)
        try fixture.stageSymlink("apps/current", to: "web")
        try fixture.stageGitlink("vendor/lib")
        try fixture.commitStaged("Every kind")
        return fixture
    }

    @Test func mapsTheFourEntryKinds() throws {
        let fixture = try Self.everyKind()
        let tree = try GitRepository.open(at: fixture.path).tree(at: "main")

        #expect(tree.entry(at: "apps") == .directory)
        #expect(tree.entry(at: "apps/web/index.html") == .file(size: 12))
        #expect(tree.entry(at: "apps/web/run.sh") == .file(size: 18))
        #expect(tree.entry(at: "apps/current") == .symlink(target: "web"))
        #expect(tree.entry(at: "vendor/lib") == .submodule)
        #expect(try tree.children(of: "") == ["apps", "vendor"])
        #expect(try tree.children(of: "apps") == ["current", "web"])
        #expect(try tree.contents(of: "apps/web/index.html") == Array("<h1>hi</h1>\n".utf8))
    }

    @Test(arguments: [
        ("", RepositoryEntry.directory), (".", .directory), ("./apps//web/", .directory),
        ("apps/./web/index.html", .file(size: 12)),
    ])
    func pathsAreNormalised(path: String, expected: RepositoryEntry) throws {
        let fixture = try Self.everyKind()
        let tree = try GitRepository.open(at: fixture.path).tree(at: "main")
        #expect(tree.entry(at: path) == expected)
    }

    @Test(arguments: ["missing", "apps/missing/x", "/apps", "../apps", "apps/../apps", "apps/current/index.html"])
    func unanswerablePathsAreNil(path: String) throws {
        let fixture = try Self.everyKind()
        let tree = try GitRepository.open(at: fixture.path).tree(at: "main")
        // Nothing through a symlink either: resolving links is the core's job.
        #expect(tree.entry(at: path) == nil)
    }

    @Test func readingTheWrongKindThrowsNamingThePathAndCommit() throws {
        let fixture = try Self.everyKind()
        let tree = try GitRepository.open(at: fixture.path).tree(at: "main")

        let notDirectory = #expect(throws: GitError.self) { try tree.children(of: "apps/web/run.sh") }
        let notFile = #expect(throws: GitError.self) { try tree.contents(of: "apps/current") }
        let missing = #expect(throws: GitError.self) { try tree.contents(of: "apps/nothing") }

        #expect(
            notDirectory?.description
                == "list 'apps/web/run.sh' in commit \(tree.commitID): 'apps/web/run.sh' is not a directory")
        #expect(
            notFile?.description
                == "read 'apps/current' in commit \(tree.commitID): 'apps/current' is not a regular file")
        #expect(missing?.isNotFound == true)
    }

    @Test func treeIDsChangeExactlyWhenTheDirectoryDoes() throws {
        let fixture = try TemporaryGitRepository()
        try fixture.stage("apps/web/Dockerfile", "FROM scratch\n")
        try fixture.stage("apps/api/Dockerfile", "FROM scratch\n")
        let first = try fixture.commitStaged("Both apps")
        try fixture.stage("apps/api/Dockerfile", "FROM busybox\n")
        let apiOnly = try fixture.commitStaged("Only api changes")
        try fixture.stage("apps/web/static/logo.svg", "<svg/>\n")
        let webToo = try fixture.commitStaged("Web changes")
        let repository = try GitRepository.open(at: fixture.path)

        let ids = try [first, apiOnly, webToo].map { try repository.tree(at: $0).treeID(of: "apps/web") }

        #expect(ids[0] == ids[1])
        #expect(ids[1] != ids[2])
        let expected = try fixture.git("rev-parse", "\(webToo):apps/web").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(ids[2] == expected)
    }

    @Test func treeIDOfTheRootMissingPathsAndFiles() throws {
        let fixture = try Self.everyKind()
        let tree = try GitRepository.open(at: fixture.path).tree(at: "main")
        let rootTree = try fixture.git("rev-parse", "main^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)

        #expect(tree.treeID == rootTree)
        #expect(try tree.treeID(of: ".") == rootTree)
        #expect(try tree.treeID(of: "apps/web/run.sh") == nil)
        #expect(try tree.treeID(of: "apps/current") == nil)
        #expect(try tree.treeID(of: "vendor/lib") == nil)
        #expect(try tree.treeID(of: "nowhere/else") == nil)
    }

    @Test func resolvesBranchesAnnotatedTagsAndExpressions() throws {
        let fixture = try TemporaryGitRepository()
        let first = try fixture.commit(file: "f", contents: "1", message: "One")
        try fixture.git("tag", "-a", "v1", "-m", "release 1")
        let second = try fixture.commit(file: "f", contents: "2", message: "Two")
        let repository = try GitRepository.open(at: fixture.path)

        #expect(try repository.tree(at: "v1").commitID == first)
        #expect(try repository.tree(at: "main").commitID == second)
        #expect(try repository.tree(at: "HEAD~1").contents(of: "f") == Array("1".utf8))
        #expect(throws: GitError.self) { try repository.tree(at: "no-such-ref") }
    }
}

/// The desired-state loader reads a commit the same way it reads the checkout of that commit.
struct GitTreeDesiredStateTests {
    @Test func loadsTheSameStateAsTheCheckout() throws {
        let fixture = try TemporaryGitRepository()
        try fixture.stage(
            "desired-state/web.yaml",
            """
            apiVersion: reconciler/v1
            kind: Service
            name: web
            image: {build: {context: apps/current, dockerfile: apps/web/Dockerfile}}
            ports: ["8080:80"]
            ---
            apiVersion: reconciler/v1
            kind: Unit
            name: hello.timer
            source: desired-state/files/hello.timer

            """)
        try fixture.stage("desired-state/files/hello.timer", "[Timer]\nOnCalendar=hourly\n")
        try fixture.stage("desired-state/README.md", "not a manifest")
        try fixture.stage("apps/web/Dockerfile", "FROM scratch\n")
        // Symlinks outside the desired-state folder are resolved by the core, inside the tree.
        try fixture.stageSymlink("apps/current", to: "web")
        try fixture.commitStaged("Web service")

        let fromGit = DesiredStateLoader.load(from: try GitRepository.open(at: fixture.path).tree(at: "main"))
        let fromCheckout = DesiredStateLoader.load(from: CheckoutTree(root: fixture.path))

        #expect(fromGit.diagnostics.isEmpty, "\(fromGit.diagnostics)")
        #expect(fromGit.state != nil)
        #expect(fromGit.state == fromCheckout.state)
        #expect(fromGit.diagnostics == fromCheckout.diagnostics)
        #expect(
            fromGit.state?.services.first?.image
                == .build(BuildSpec(context: "apps/web", dockerfile: "apps/web/Dockerfile")))
    }

    enum Intruder: String, CaseIterable {
        case symlink, submodule
    }

    @Test(arguments: Intruder.allCases)
    func refusesSymlinksAndSubmodulesInsideTheFolder(intruder: Intruder) throws {
        let fixture = try TemporaryGitRepository()
        try fixture.stage(
            "shared/web.yaml", "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {ref: nginx}\n")
        try fixture.stage("desired-state/.gitkeep", "")
        switch intruder {
        case .symlink: try fixture.stageSymlink("desired-state/web.yaml", to: "../shared/web.yaml")
        case .submodule: try fixture.stageGitlink("desired-state/vendored")
        }
        try fixture.commitStaged("Intruder")

        let load = DesiredStateLoader.load(from: try GitRepository.open(at: fixture.path).tree(at: "main"))

        #expect(load.state == nil)
        let expected =
            switch intruder {
            case .symlink:
                "desired-state/web.yaml:1:1: error: 'desired-state/web.yaml' is a symlink to '../shared/web.yaml';"
                    + " symlinks inside the desired-state folder are refused (never followed): commit the file itself"
            case .submodule:
                "desired-state/vendored:1:1: error: 'desired-state/vendored' is a git submodule;"
                    + " submodules inside the desired-state folder are refused"
            }
        #expect(load.diagnostics.map(\.description) == [expected])
    }
}
