import Foundation
import ReconcilerCore
import Testing

@testable import ReconcilerCLI

/// A checkout on disk read as a repository tree: nothing is followed, `.git` is not there.
struct DirectoryTreeTests {
    /// A throw-away checkout, removed when the test ends.
    final class Checkout {
        let root: String

        init() throws {
            root =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("directory-tree-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func write(_ path: String, _ text: String) throws {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func directory(_ path: String) throws {
            try FileManager.default.createDirectory(atPath: "\(root)/\(path)", withIntermediateDirectories: true)
        }

        func symlink(_ path: String, to target: String) throws {
            try FileManager.default.createSymbolicLink(atPath: "\(root)/\(path)", withDestinationPath: target)
        }
    }

    @Test func reportsEntriesWithoutFollowingSymlinks() throws {
        let checkout = try Checkout()
        try checkout.write("Dockerfile", "FROM scratch\n")
        try checkout.write("app/main.py", "")
        try checkout.symlink("current", to: "app")
        try checkout.symlink("outside", to: "/etc")
        let tree = DirectoryTree(root: checkout.root)

        #expect(tree.entry(at: "Dockerfile") == .file(size: 13))
        #expect(tree.entry(at: "app") == .directory)
        #expect(tree.entry(at: ".") == .directory)
        #expect(tree.entry(at: "current") == .symlink(target: "app"))
        #expect(tree.entry(at: "outside") == .symlink(target: "/etc"))
        #expect(tree.entry(at: "missing") == nil)
    }

    @Test func neverResolvesAPathThroughASymlinkedDirectory() throws {
        let checkout = try Checkout()
        try checkout.write("app/main.py", "print('hi')\n")
        try checkout.symlink("current", to: "app")
        try checkout.symlink("etc", to: "/etc")
        let tree = DirectoryTree(root: checkout.root)

        #expect(tree.entry(at: "current/main.py") == nil)
        #expect(tree.entry(at: "etc/passwd") == nil)
        #expect(throws: DirectoryTreeError.self) { try tree.contents(of: "etc/passwd") }
        #expect(throws: DirectoryTreeError.self) { try tree.children(of: "current") }
        #expect(throws: DirectoryTreeError.self) { try tree.contents(of: "current") }
    }

    @Test func refusesPathsThatLeaveTheRoot() throws {
        let checkout = try Checkout()
        try checkout.write("a/b", "x")
        let tree = DirectoryTree(root: checkout.root)
        #expect(tree.entry(at: "a/../a/b") == nil)
        #expect(tree.entry(at: "/etc/passwd") == nil)
        #expect(throws: DirectoryTreeError.self) { try tree.contents(of: "../etc/passwd") }
    }

    @Test func listsChildrenSortedWithoutGit() throws {
        let checkout = try Checkout()
        try checkout.write(".git/HEAD", "ref: refs/heads/main\n")
        try checkout.write("b.yaml", "")
        try checkout.write("a/x", "")
        try checkout.write(".hidden", "")
        try checkout.symlink("c", to: "b.yaml")
        let tree = DirectoryTree(root: checkout.root + "/")

        #expect(try tree.children(of: "") == [".hidden", "a", "b.yaml", "c"])
        #expect(try tree.children(of: "a") == ["x"])
        #expect(tree.entry(at: ".git") == nil)
        #expect(tree.entry(at: ".git/HEAD") == nil)
    }

    @Test func aNestedRepositoryIsASubmodule() throws {
        let checkout = try Checkout()
        try checkout.write("vendor/lib/.git", "gitdir: ../../.git/modules/lib\n")
        try checkout.write("vendor/lib/file", "")
        let tree = DirectoryTree(root: checkout.root)
        #expect(tree.entry(at: "vendor") == .directory)
        #expect(tree.entry(at: "vendor/lib") == .submodule)
        #expect(tree.entry(at: "vendor/lib/file") == nil)
    }

    @Test func readsFileContentsExactly() throws {
        let checkout = try Checkout()
        let large = String(repeating: "0123456789abcdef", count: 10_000)
        try checkout.write("big.txt", large)
        try checkout.write("empty", "")
        let tree = DirectoryTree(root: checkout.root)
        #expect(try tree.contents(of: "big.txt") == Array(large.utf8))
        #expect(try tree.contents(of: "empty") == [])
        #expect(throws: DirectoryTreeError.self) { try tree.contents(of: "missing") }
    }

    @Test func loadsADesiredStateFromACheckout() throws {
        let checkout = try Checkout()
        try checkout.write("Dockerfile", "FROM scratch\n")
        try checkout.write(
            "desired-state/app.yaml",
            "apiVersion: reconciler/v1\nkind: Service\nname: app\nimage: {build: {context: .}}\nports: [\"80:80\"]\n")
        try checkout.write("desired-state/files/tick.timer", "[Timer]\nOnCalendar=hourly\n")
        try checkout.write(
            "desired-state/tick.yaml",
            "apiVersion: reconciler/v1\nkind: Unit\nname: tick.timer\nsource: desired-state/files/tick.timer\n")
        let load = DesiredStateLoader.load(from: DirectoryTree(root: checkout.root))
        let state = try #require(load.state, "\(load.diagnostics)")
        #expect(state.services.map(\.name) == ["app"])
        #expect(state.units.first?.contents == "[Timer]\nOnCalendar=hourly\n")
    }

    @Test func aSymlinkedManifestIsRefusedWithItsPath() throws {
        let checkout = try Checkout()
        try checkout.write("elsewhere/app.yaml", "apiVersion: reconciler/v1\n")
        try checkout.directory("desired-state")
        try checkout.symlink("desired-state/app.yaml", to: "../elsewhere/app.yaml")
        let load = DesiredStateLoader.load(from: DirectoryTree(root: checkout.root))
        #expect(load.state == nil)
        #expect(load.diagnostics.map(\.location.file) == ["desired-state/app.yaml"])
    }

    /// The repository's own example, as `reconciler validate` checks it in CI.
    @Test func theRepositorysOwnDesiredStateIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let load = DesiredStateLoader.load(from: DirectoryTree(root: root))
        #expect(load.diagnostics.isEmpty, "\(load.diagnostics.map(\.description))")
        #expect(load.state?.services.map(\.name) == ["blog-1", "blog-2", "blog-db", "proxy"])
    }

    /// The smaller shapes in examples/single-host/, each copied into desired-state/ in place
    /// of the production files as the README says, are valid too.
    @Test(arguments: ["blog.yaml", "blog-postgres.yaml"])
    func eachSingleHostExampleIsValidInPlaceOfTheProductionFiles(example: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        for path in ["Dockerfile", ".dockerignore", "app", "postgres", "desired-state/files"] {
            let target = copy.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: root.appendingPathComponent(path), to: target)
        }
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("examples/single-host/\(example)"),
            to: copy.appendingPathComponent("desired-state/\(example)"))

        let load = DesiredStateLoader.load(from: DirectoryTree(root: copy.path))
        #expect(load.diagnostics.isEmpty, "\(load.diagnostics.map(\.description))")
        #expect(load.state?.services.contains { $0.name == "blog" } == true)
    }
}
