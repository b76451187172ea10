import Foundation
import ReconcilerCore
import ReconcilerTesting
import Testing

/// `reconciler diff blog` on this repository's own production desired state: the two blog
/// instances and their image, not blog-db (whose name looks like an instance's) nor the proxy.
struct ProductionSelectionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// desired-state/ and the Dockerfiles it names, as a commit has them. Not the whole
    /// checkout: the blog's build context is `.`, and hashing .build would take minutes.
    static func tree() throws -> InMemoryTree {
        var files: [String: String] = [:]
        let folder = root.appendingPathComponent("desired-state")
        let paths = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        for path in paths where !path.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            let file = folder.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            files["desired-state/\(path)"] = try String(contentsOf: file, encoding: .utf8)
        }
        for dockerfile in ["Dockerfile", "proxy/Dockerfile", "postgres/Dockerfile"] {
            files[dockerfile] = try String(contentsOf: root.appendingPathComponent(dockerfile), encoding: .utf8)
        }
        return InMemoryTree(files)
    }

    @Test("diff blog on a fresh host selects blog-1 and blog-2, started as a rolling update of blog")
    func diffBlogSelectsBothInstances() throws {
        let tree = try Self.tree()
        let load = DesiredStateLoader.load(from: tree)
        let state = try #require(load.state, "\(load.diagnostics)")
        let desired = try DesiredHostBuilder(runtime: .podman).build(
            state, tree: tree, commit: PlanningFixtures.firstCommit)
        let plan = Planner.plan(desired: desired, observed: ObservedState(), inventory: Inventory())

        let selected = ServiceSelection(names: ["blog"]).plan(plan, desired: desired)

        let units = Set(selected.actions.map(\.target).filter { $0.hasSuffix(".service") })
        #expect(units == ["blog-1.service", "blog-2.service"])
        let images = selected.actions.filter { $0.kind == .buildImage }.map(\.target)
        #expect(images.count == 1 && images.allSatisfy { $0.hasPrefix("localhost/reconciler/blog:") }, "\(images)")
        let starts = selected.actions.filter { $0.kind == .start }
        #expect(
            starts.map { "\($0.target) \($0.rolling?.description ?? "-")" } == [
                "blog-1.service rolling update of blog, 1 of 2", "blog-2.service rolling update of blog, 2 of 2",
            ])
        let known = ServiceSelection.knownNames(desired: desired, inventory: Inventory())
        #expect(["blog", "blog-1", "blog-2", "blog-db", "proxy"].allSatisfy(known.contains), "\(known)")
        let database = ServiceSelection(names: ["blog-db"]).plan(plan, desired: desired)
        #expect(!database.actions.isEmpty)
        #expect(!database.actions.contains { $0.target.hasPrefix("blog-1") || $0.target.hasPrefix("blog-2") })
    }
}
