import Foundation
import Testing

@testable import ReconcilerContainers

/// Builds on this machine's real podman from `FROM scratch` contexts: no registry involved.
@Suite(.serialized)
struct ContainerEngineBuildTests {
    @Test func buildingATinyImageReturnsTheIDPodmanReports() throws {
        let fixture = try PodmanFixture()
        try fixture.writeDockerfile()

        let id = try fixture.build()

        #expect(id.count == 64 && id.allSatisfy(\.isHexDigit))
        #expect(try fixture.engine.imageID(fixture.reference()) == id)
        #expect(try fixture.podmanText(["image", "inspect", "--format", "{{.Id}}", fixture.reference()]) == id)
    }

    @Test func buildArgumentsAndTheManagedLabelReachTheImage() throws {
        let fixture = try PodmanFixture()
        try fixture.writeDockerfile(["ARG GREETING=none", "ARG PLACE=none", "LABEL greeting=$GREETING-$PLACE"])

        let id = try fixture.build(arguments: ["PLACE": "world", "GREETING": "hello"])

        let labels = try fixture.podmanText([
            "image", "inspect", "--format", "{{.Labels.greeting}} {{index .Labels \"io.reconciler.managed\"}}", id,
        ])
        #expect(labels == "hello-world true")
        let listed = try fixture.engine.images(labelled: fixture.testLabel)
        #expect(listed.map(\.id) == [id])
        #expect(listed.first?.names == [fixture.reference()])
        #expect(try fixture.engine.images().contains { $0.id == id })
    }

    @Test func rebuildingAnUnchangedContextReusesTheCachedImage() throws {
        let fixture = try PodmanFixture()
        try fixture.writeDockerfile()

        let clock = ContinuousClock()
        var first = ""
        let firstDuration = try clock.measure { first = try fixture.build() }
        var second = ""
        let secondDuration = try clock.measure { second = try fixture.build() }

        // Without the cache the new layers would get new timestamps, hence a new id.
        #expect(second == first)
        print("podman build from scratch: first \(firstDuration), cached \(secondDuration)")
    }

    @Test func aFailingBuildReportsTheEndOfItsOutputWithoutSecrets() throws {
        let fixture = try PodmanFixture()
        try fixture.writeDockerfile(["ARG TOKEN", "COPY missing.txt /missing.txt"])

        let error = #expect(throws: ContainerError.self) {
            try fixture.build(arguments: ["TOKEN": "s3cret-value"])
        }

        let text = error?.description ?? ""
        #expect(error?.cause == .exited(status: 125))
        #expect(text.hasPrefix("build image \(fixture.reference()): `/usr/bin/podman build --file"))
        #expect(text.contains("--build-arg TOKEN=*** "))
        #expect(!text.contains("s3cret-value"))
        #expect(text.contains("fix the Dockerfile or the build context"))
        // The tail holds the failing step and podman's reason.
        #expect(error?.outputTail.contains("COPY missing.txt /missing.txt") == true)
        #expect(error?.outputTail.contains("no such file or directory") == true)
        #expect(try fixture.engine.imageID(fixture.reference()) == nil)
    }
}
