import Foundation
import ReconcilerCore
import Testing

@testable import ReconcilerCLI

/// Golden files: each case's desired state, loaded from disk and rendered for both runtimes,
/// must equal `expected-<runtime>/` byte for byte. Run with RECONCILER_UPDATE_GOLDEN=1 to
/// rewrite the expected files after an intended change, then review the diff.
struct RenderGoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/render")
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let cases = [
        "blog", "dependencies", "escaping", "pulled-image", "unit-files", "secrets", "replicas", "host-network",
        "config-files",
    ]

    /// The blog case renders this repository's own desired-state folder.
    static func repository(for name: String) -> URL {
        name == "blog" ? repositoryRoot : fixtures.appendingPathComponent("\(name)/repo")
    }

    @Test(arguments: cases, ContainerRuntime.allCases)
    func renderedUnitsMatchTheGoldenFiles(name: String, runtime: ContainerRuntime) throws {
        let load = DesiredStateLoader.load(from: DirectoryTree(root: Self.repository(for: name).path))
        let state = try #require(load.state, "fixture \(name) is invalid: \(load.diagnostics)")
        let units = DesiredStateRenderer(runtime: runtime).render(state) {
            DesiredStateRenderer.imageReference(for: $0, buildTag: "0123456789ab")
        }
        let expected = Self.fixtures.appendingPathComponent("\(name)/expected-\(runtime.rawValue)")

        if ProcessInfo.processInfo.environment["RECONCILER_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: expected)
            try FileManager.default.createDirectory(at: expected, withIntermediateDirectories: true)
            for unit in units {
                try unit.contents.write(
                    to: expected.appendingPathComponent(unit.name), atomically: true, encoding: .utf8)
            }
        }

        let expectedNames = try FileManager.default.contentsOfDirectory(atPath: expected.path).sorted()
        #expect(units.map(\.name) == expectedNames)
        for unit in units {
            let golden = try String(contentsOf: expected.appendingPathComponent(unit.name), encoding: .utf8)
            #expect(unit.contents == golden, "\(name)/expected-\(runtime.rawValue)/\(unit.name) differs")
        }
    }

    @Test func everyRenderedUnitCarriesTheOwnershipMarkerOfItsSource() throws {
        let load = DesiredStateLoader.load(from: DirectoryTree(root: Self.repositoryRoot.path))
        let state = try #require(load.state)
        let units = DesiredStateRenderer(runtime: .podman).render(state) { _ in "image" }

        #expect(!units.isEmpty)
        for unit in units {
            #expect(OwnershipMarker.source(in: unit.contents) == unit.source)
            #expect(unit.source.hasPrefix("desired-state/"))
        }
    }
}
