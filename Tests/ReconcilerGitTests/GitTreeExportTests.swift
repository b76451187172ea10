import Foundation
import ReconcilerGit
import Testing

/// Materialising a directory of a commit, once per content, atomically.
struct GitTreeExportTests {
    /// A fresh cache folder per test, removed with the value.
    final class Cache {
        let path =
            FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-export-\(UUID().uuidString)").path

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }

        /// What is in the cache besides the lock file.
        func contents() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: path).filter { $0 != ".lock" }.sorted()
        }
    }

    static func buildContext() throws -> TemporaryGitRepository {
        let fixture = try TemporaryGitRepository()
        try fixture.stage("apps/web/Dockerfile", "FROM scratch\nCOPY . /srv\n")
        try fixture.stage("apps/web/bin/start", "#!/bin/sh\nexec httpd\n", executable: true)
        try fixture.stage("apps/web/static/site.css", "body {}\n")
        try fixture.stageSymlink("apps/web/static/style.css", to: "site.css")
        try fixture.stageSymlink("apps/web/entrypoint", to: "bin/../bin/start")
        try fixture.stage("README.md", "outside the context\n")
        try fixture.commitStaged("Web app")
        return fixture
    }

    static func attributes(_ path: String) throws -> [FileAttributeKey: Any] {
        try FileManager.default.attributesOfItem(atPath: path)
    }

    static func permissions(_ path: String) throws -> Int {
        try attributes(path)[.posixPermissions] as? Int ?? -1
    }

    @Test func writesFilesModesAndInsideSymlinksUnderTheTreeID() throws {
        let fixture = try Self.buildContext()
        let cache = Cache()
        let treeID = try fixture.git("rev-parse", "main:apps/web").trimmingCharacters(in: .whitespacesAndNewlines)

        let exported = try GitRepository.open(at: fixture.path).export(path: "apps/web", at: "main", into: cache.path)

        #expect(exported == "\(cache.path)/\(treeID)")
        #expect(try String(contentsOfFile: "\(exported)/Dockerfile", encoding: .utf8) == "FROM scratch\nCOPY . /srv\n")
        #expect(try Self.permissions("\(exported)/Dockerfile") == 0o644)
        #expect(try Self.permissions("\(exported)/bin/start") == 0o755)
        #expect(try Self.permissions("\(exported)/bin") == 0o755)
        #expect(try Self.permissions(exported) == 0o755)
        let manager = FileManager.default
        #expect(try manager.destinationOfSymbolicLink(atPath: "\(exported)/static/style.css") == "site.css")
        #expect(try manager.destinationOfSymbolicLink(atPath: "\(exported)/entrypoint") == "bin/../bin/start")
        #expect(
            try manager.contentsOfDirectory(atPath: exported).sorted() == ["Dockerfile", "bin", "entrypoint", "static"])
        #expect(try cache.contents() == [treeID])
    }

    @Test func anExistingExportIsReusedWithoutWriting() throws {
        let fixture = try Self.buildContext()
        let cache = Cache()
        let repository = try GitRepository.open(at: fixture.path)
        let first = try repository.export(path: "apps/web", at: "main", into: cache.path)
        let inode = try Self.attributes("\(first)/Dockerfile")[.systemFileNumber] as? UInt64
        // A commit that does not touch the context has the same tree id for it.
        try fixture.commit(file: "README.md", contents: "changed\n", message: "Docs only")

        let second = try repository.tree(at: "main").export("./apps/web/", into: cache.path + "/")

        #expect(second == first)
        #expect(try Self.attributes("\(second)/Dockerfile")[.systemFileNumber] as? UInt64 == inode)
    }

    @Test func theRootCanBeExported() throws {
        let fixture = try Self.buildContext()
        let cache = Cache()
        let tree = try GitRepository.open(at: fixture.path).tree(at: "main")

        let exported = try tree.export(".", into: cache.path)

        #expect(exported == "\(cache.path)/\(tree.treeID)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: exported).sorted() == ["README.md", "apps"])
    }

    enum Refused: String, CaseIterable {
        case submodule, climbingSymlink, absoluteSymlink, symlinkToTheRestOfTheRepository, climbThroughAnotherSymlink
    }

    @Test(arguments: Refused.allCases)
    func refusesUnsafeContentAndLeavesNothingBehind(_ refused: Refused) throws {
        let fixture = try Self.buildContext()
        let expected: String
        switch refused {
        case .submodule:
            try fixture.stageGitlink("apps/web/vendor/lib")
            expected = "'apps/web/vendor/lib' is a git submodule"
        case .climbingSymlink:
            try fixture.stageSymlink("apps/web/static/passwd", to: "../../../../etc/passwd")
            expected =
                "the symlink 'apps/web/static/passwd' -> '../../../../etc/passwd' is absolute or resolves outside"
        case .absoluteSymlink:
            try fixture.stageSymlink("apps/web/passwd", to: "/etc/passwd")
            expected = "the symlink 'apps/web/passwd' -> '/etc/passwd'"
        case .symlinkToTheRestOfTheRepository:
            try fixture.stageSymlink("apps/web/readme", to: "../../README.md")
            expected = "the symlink 'apps/web/readme' -> '../../README.md'"
        case .climbThroughAnotherSymlink:
            // As text this stays inside (static/nested/up/../../README.md is static/README.md), but
            // "up" links to the context's root, so the kernel climbs from there, out of the context.
            try fixture.stage("apps/web/static/nested/keep", "")
            try fixture.stageSymlink("apps/web/static/nested/up", to: "../..")
            try fixture.stageSymlink("apps/web/static/nested/escape", to: "up/../../README.md")
            expected = "the symlink 'apps/web/static/nested/escape' -> 'up/../../README.md'"
        }
        let commit = try fixture.commitStaged("Refused: \(refused)")
        let cache = Cache()

        let error = #expect(throws: TreeExportError.self) {
            try GitRepository.open(at: fixture.path).export(path: "apps/web", at: "main", into: cache.path)
        }

        #expect(error?.description.hasPrefix("cannot export 'apps/web' of commit \(commit): \(expected)") == true)
        #expect(try cache.contents() == [], "no final folder and no partial one")
    }

    @Test(arguments: [".git", "..", ".GIT"])
    func refusesNamesThatAreUnsafeOnDisk(name: String) throws {
        let fixture = try TemporaryGitRepository()
        try fixture.commit(file: "f", contents: "1", message: "One")
        let commit = try fixture.commitFileNamedVerbatim(name)
        let cache = Cache()

        let error = #expect(throws: TreeExportError.self) {
            try GitRepository.open(at: fixture.path).export(path: "", at: commit, into: cache.path)
        }

        #expect(error?.description.contains("'\(name)' has a name that cannot be written safely") == true)
        #expect(try cache.contents() == [])
    }

    @Test(arguments: ["apps/missing", "README.md", "apps/web/static/style.css", "../apps"])
    func refusesWhatIsNotADirectory(path: String) throws {
        let fixture = try Self.buildContext()
        let tree = try GitRepository.open(at: fixture.path).tree(at: "main")

        let error = #expect(throws: TreeExportError.self) { try tree.export(path, into: Cache().path) }

        #expect(
            error?.description.hasPrefix("cannot export '\(path)' of commit \(tree.commitID): it is not a directory")
                == true)
    }

    @Test func removesWhatACrashedExportLeftBehind() throws {
        let fixture = try Self.buildContext()
        let cache = Cache()
        let leftover = "\(cache.path)/.partial-0123abcd-XyZ123"
        try FileManager.default.createDirectory(atPath: "\(leftover)/half/written", withIntermediateDirectories: true)
        try Data("partial".utf8).write(to: URL(fileURLWithPath: "\(leftover)/half/written/file"))

        let exported = try GitRepository.open(at: fixture.path).export(path: "apps/web", at: "main", into: cache.path)

        #expect(try cache.contents() == [URL(fileURLWithPath: exported).lastPathComponent])
    }

    @Test func concurrentExportsOfTheSameTreeAgree() async throws {
        let fixture = try Self.buildContext()
        let cache = Cache()
        let path = fixture.path
        let cachePath = cache.path

        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<4 {
                // One repository per task: libgit2 objects are not shared across threads.
                group.addTask { try GitRepository.open(at: path).export(path: "apps/web", at: "main", into: cachePath) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(Set(results).count == 1)
        #expect(try cache.contents().count == 1)
    }
}
