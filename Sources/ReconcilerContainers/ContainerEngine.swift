public import Logging
public import ReconcilerCore

/// The container engine's CLI (podman, or docker), driven with JSON output.
///
/// Each method runs one command through posix_spawn with a deadline and blocks until it
/// ends: call it off the cooperative pool (the engine's own queue or actor). Image ids are
/// given as the runtime reports them (podman: bare hex; docker: `sha256:` + hex), the same
/// for images and containers, so ids from one runtime compare equal.
public struct ContainerEngine: Sendable {
    public let runtime: ContainerRuntime
    /// The CLI's path: `runtime.executable` unless given.
    public let executable: String
    /// The deadline of quick commands (inspect, remove, list), in seconds.
    public var inspectTimeout: Double = 30
    let logger: Logger

    public init(runtime: ContainerRuntime, executable: String? = nil, logger: Logger) {
        self.runtime = runtime
        self.executable = executable ?? runtime.executable
        self.logger = logger
    }

    /// The label every image the reconciler builds carries, so they can be listed and pruned.
    public static let managedLabel = "io.reconciler.managed=true"

    /// The id of the local image `reference` names, or nil when there is none.
    /// - Throws: `ContainerError` when the engine fails for another reason than a missing image.
    public func imageID(_ reference: String) throws -> String? {
        let operation = "inspect image \(reference)"
        let output = try run(["image", "inspect", reference], operation: operation, timeout: inspectTimeout)
        guard output.succeeded else {
            // podman 4.3: "Error: inspecting object: REF: image not known" (status 125);
            // docker: "Error: No such image: REF" (status 1).
            if output.mentions(["image not known", "no such image"]) { return nil }
            throw failure(output, operation: operation, hint: "does `\(executable) info` work?")
        }
        let images = try decode([ImageInspection].self, output, operation: operation)
        guard let image = images.first, !image.id.isEmpty else {
            throw ContainerError(
                operation: operation, command: output.shownCommand, cause: .unexpectedOutput("no image in the reply"))
        }
        return image.id
    }

    /// The container named `name`, the image it was created from and whether it carries our
    /// label, or nil when there is none.
    public func container(named name: String) throws -> ObservedContainer? {
        let operation = "inspect container \(name)"
        let output = try run(["container", "inspect", name], operation: operation, timeout: inspectTimeout)
        guard output.succeeded else {
            // podman 4.3: "Error: inspecting object: no such container NAME"; docker: "No such container: NAME".
            if output.mentions(["no such container"]) { return nil }
            throw failure(output, operation: operation, hint: "does `\(executable) info` work?")
        }
        let containers = try decode([ContainerInspection].self, output, operation: operation)
        // Both CLIs also accept an id prefix; a container that only matched that way is not ours.
        guard let container = containers.first(where: { $0.plainName == name }) else { return nil }
        // Our units label their container with the service, which is the container's name.
        let owned = container.config?.labels?[ServiceRenderer.ownerLabel] == name
        return ObservedContainer(name: name, imageID: container.image, running: container.state.running, owned: owned)
    }

    /// Removes the local image `reference` (only that tag, if the image has others).
    ///
    /// An image that is already gone is fine. An image a container still uses is not removed
    /// (no force): pruning must never pull the image from under a service.
    public func removeImage(_ reference: String) throws {
        let operation = "remove image \(reference)"
        let output = try run(["rmi", reference], operation: operation, timeout: inspectTimeout)
        guard output.succeeded else {
            if output.mentions(["image not known", "no such image"]) { return }
            let inUse = output.mentions(["in use", "being used", "is using"])
            throw failure(
                output, operation: operation,
                hint: inUse ? "a container still uses it; it is kept" : "does `\(executable) info` work?")
        }
        logger.debug("image removed", metadata: ["container.image": "\(reference)"])
    }
}
