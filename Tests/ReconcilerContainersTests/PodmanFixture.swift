import Foundation
import Logging
import ReconcilerCore
import Testing

@testable import ReconcilerContainers

/// A build context and names unique to one test, on this machine's real podman.
///
/// Every image the test builds carries `io.reconciler.test=<id>` from the Dockerfile's first
/// step, so even intermediate layers can be found; they and the test's containers are
/// removed when the fixture is released, whether the test passed or not.
final class PodmanFixture {
    let id = String(UUID().uuidString.lowercased().prefix(12))
    let engine = ContainerEngine(runtime: .podman, logger: Logger(label: "reconciler.tests.containers"))
    let context: String
    var containers: [String] = []

    init() throws {
        context = NSTemporaryDirectory() + "reconciler-containers-test-\(id)"
        try FileManager.default.createDirectory(atPath: context, withIntermediateDirectories: true)
        try write("hello from \(id)\n", to: "hello.txt")
    }

    deinit {
        for name in containers { _ = try? podman(["rm", "-f", name]) }
        // Listing fails when another test removes an image meanwhile: look again.
        for _ in 0..<3 {
            guard let listed = try? podman(["images", "-a", "-q", "--no-trunc", "--filter", "label=\(testLabel)"]),
                listed.succeeded
            else { continue }
            let ids = String(decoding: listed.standardOutput, as: UTF8.self).split(separator: "\n").map(String.init)
            if !ids.isEmpty { _ = try? podman(["rmi", "-f"] + Array(Set(ids))) }
            break
        }
        try? FileManager.default.removeItem(atPath: context)
    }

    var testLabel: String { "io.reconciler.test=\(id)" }

    /// A reference under the reconciler's own image names, unique to this test.
    func reference(_ tag: String = "v1") -> String { ImageNaming.built(service: "test-\(id)", tag: tag) }

    /// A container name unique to this test, removed at the end.
    func containerName() -> String {
        let name = "reconciler-test-\(id)"
        containers.append(name)
        return name
    }

    var dockerfile: String { "\(context)/Dockerfile" }

    /// A Dockerfile that needs no registry: `FROM scratch` and a file of the context.
    func writeDockerfile(_ steps: [String] = ["COPY hello.txt /hello.txt"]) throws {
        let lines = ["FROM scratch", "LABEL \(testLabel)"] + steps
        try write(lines.joined(separator: "\n") + "\n", to: "Dockerfile")
    }

    func write(_ text: String, to name: String) throws {
        try text.write(toFile: "\(context)/\(name)", atomically: true, encoding: .utf8)
    }

    /// Runs podman directly, to check the engine against what podman itself says.
    @discardableResult
    func podman(_ arguments: [String]) throws -> ContainerEngine.CommandOutput {
        try engine.run(arguments, operation: "test: podman", timeout: 60)
    }

    /// podman's own answer, as text without the trailing newline.
    @discardableResult
    func podmanText(_ arguments: [String]) throws -> String {
        let output = try podman(arguments)
        try #require(output.succeeded, "podman \(arguments) failed: \(output.tail)")
        return String(decoding: output.standardOutput, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    /// Builds the context as `reference()` with a generous deadline.
    func build(_ reference: String? = nil, arguments: [String: String] = [:]) throws -> String {
        try engine.build(
            reference: reference ?? self.reference(), contextDirectory: context, dockerfile: dockerfile,
            arguments: arguments, timeout: 120)
    }
}
