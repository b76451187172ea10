import Foundation
import Logging
import ReconcilerCore
import Testing

@testable import ReconcilerContainers

/// Inspecting, removing and pulling on this machine's real podman.
@Suite(.serialized)
struct ContainerEngineInspectTests {
    @Test func theImageIDOfAMissingReferenceIsNil() throws {
        let fixture = try PodmanFixture()

        #expect(try fixture.engine.imageID(fixture.reference("absent")) == nil)
    }

    @Test func anInvalidReferenceIsAnErrorNotAMissingImage() throws {
        let fixture = try PodmanFixture()

        let error = #expect(throws: ContainerError.self) { try fixture.engine.imageID("Not A Reference") }

        #expect(error?.operation == "inspect image Not A Reference")
        #expect(error?.outputTail.isEmpty == false)
    }

    @Test func aCreatedContainerIsObservedWithItsImageAndNotRunning() throws {
        let fixture = try PodmanFixture()
        try fixture.writeDockerfile()
        let id = try fixture.build()
        let name = fixture.containerName()
        try fixture.podmanText([
            "create", "--name", name, "--label", "io.reconciler.service=\(name)", fixture.reference(), "/hello.txt",
        ])

        let container = try fixture.engine.container(named: name)

        #expect(container == ObservedContainer(name: name, imageID: id, running: false))
    }

    @Test("a container without our label is observed as not ours, one with another service's label too")
    func aContainerWithoutOurLabelIsNotOwned() throws {
        let fixture = try PodmanFixture()
        try fixture.writeDockerfile()
        _ = try fixture.build()
        let bare = fixture.containerName()
        let other = bare + "-other"
        fixture.containers.append(other)
        try fixture.podmanText(["create", "--name", bare, fixture.reference(), "/hello.txt"])
        try fixture.podmanText([
            "create", "--name", other, "--label", "io.reconciler.service=\(bare)", fixture.reference(), "/hello.txt",
        ])

        #expect(try fixture.engine.container(named: bare)?.owned == false)
        #expect(try fixture.engine.container(named: other)?.owned == false)
    }

    @Test func aMissingContainerIsNil() throws {
        let fixture = try PodmanFixture()

        #expect(try fixture.engine.container(named: fixture.containerName()) == nil)
    }

    @Test func removingAnImageLeavesItMissingAndRemovingItAgainIsFine() throws {
        let fixture = try PodmanFixture()
        try fixture.writeDockerfile()
        _ = try fixture.build()

        try fixture.engine.removeImage(fixture.reference())

        #expect(try fixture.engine.imageID(fixture.reference()) == nil)
        try fixture.engine.removeImage(fixture.reference())
    }

    @Test func anImageAContainerUsesIsKept() throws {
        let fixture = try PodmanFixture()
        try fixture.writeDockerfile()
        let id = try fixture.build()
        try fixture.podmanText(["create", "--name", fixture.containerName(), fixture.reference(), "/hello.txt"])

        let error = #expect(throws: ContainerError.self) { try fixture.engine.removeImage(fixture.reference()) }

        #expect(error?.hint == "a container still uses it; it is kept")
        #expect(try fixture.engine.imageID(fixture.reference()) == id)
    }

    @Test func aPullFromAnUnreachableRegistryFailsWithPodmansReason() throws {
        let fixture = try PodmanFixture()

        // Nothing listens on port 1; podman 4.3 tries three times, a second apart.
        let error = #expect(throws: ContainerError.self) {
            try fixture.engine.pull("localhost:1/reconciler-test/absent:\(fixture.id)", timeout: 60)
        }

        #expect(error?.cause == .exited(status: 125))
        #expect(error?.outputTail.contains("connection refused") == true)
        #expect(error?.hint?.contains("registry is reachable") == true)
    }

    @Test func aPullPastItsDeadlineIsKilled() throws {
        let fixture = try PodmanFixture()

        let error = #expect(throws: ContainerError.self) {
            try fixture.engine.pull("localhost:1/reconciler-test/absent:\(fixture.id)", timeout: 0.5)
        }

        #expect(error?.cause == .timedOut(seconds: 0.5))
        #expect(error?.description.contains("did not finish within 0.5 s and was killed") == true)
    }

    @Test func aMissingExecutableIsAClearError() throws {
        let engine = ContainerEngine(
            runtime: .podman, executable: "/nonexistent/podman", logger: Logger(label: "reconciler.tests"))

        let error = #expect(throws: ContainerError.self) { try engine.imageID("localhost/anything:1") }

        #expect(error?.cause == .notStarted(errno: ENOENT))
        #expect(
            error?.description
                == "inspect image localhost/anything:1: `/nonexistent/podman image inspect localhost/anything:1`"
                + " could not be started: No such file or directory; is podman installed at /nonexistent/podman?"
                + " (runtime in /etc/reconciler/config.yaml)")
    }
}
