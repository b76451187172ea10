import Foundation
import Logging
import ReconcilerCore

extension ContainerEngine {
    /// Builds the image `reference` from a context directory and returns its id.
    ///
    /// The engine's default pull policy applies, so a `FROM` image that is missing locally is
    /// pulled, and one that is present (even only under a local name) is used as it is. The
    /// image carries `managedLabel`. The engine's layer cache makes an unchanged rebuild quick.
    /// - Parameters:
    ///   - dockerfile: the Dockerfile's path, absolute (a relative one is resolved against the
    ///     current directory, not the context).
    ///   - arguments: `--build-arg` values, passed in key order; their values never appear in errors.
    ///   - timeout: seconds before the build is killed with its process group.
    /// - Throws: `ContainerError` with the last 40 lines of the build's output when it fails.
    public func build(
        reference: String, contextDirectory: String, dockerfile: String, arguments: [String: String] = [:],
        timeout: Double
    ) throws -> String {
        let operation = "build image \(reference)"
        let scratch = try TemporaryDirectory.make(prefix: "reconciler-build")
        defer { scratch.remove() }
        var command = ["build", "--file", dockerfile, "--tag", reference]
        var hidden: Set<Int> = []
        for key in arguments.keys.sorted() {
            command.append("--build-arg")
            hidden.insert(command.count)
            command.append("\(key)=\(arguments[key] ?? "")")
        }
        // The id comes from --iidfile: the last line of the output is not reliably the id (docker).
        command += ["--label", Self.managedLabel, "--iidfile", scratch.file("iid"), contextDirectory]
        logger.debug("building image", metadata: ["container.image": "\(reference)"])
        let started = ContinuousClock.now
        let output = try run(
            command, operation: operation, timeout: timeout, hiding: hidden, mergeOutput: true, in: scratch)
        guard output.succeeded else {
            throw failure(
                output, operation: operation,
                hint: "fix the Dockerfile or the build context and commit again; the build log ends with")
        }
        let written = String(decoding: scratch.contents(of: "iid"), as: UTF8.self)
        guard let id = canonicalImageID(written) else {
            throw ContainerError(
                operation: operation, command: output.shownCommand,
                cause: .unexpectedOutput("no image id in the --iidfile"), outputTail: output.tail)
        }
        logger.debug(
            "image built",
            metadata: [
                "container.image": "\(reference)", "container.imageID": "\(id)",
                "container.duration": "\(ContinuousClock.now - started)",
            ])
        return id
    }

    /// Pulls `reference` from its registry and returns the local image's id.
    ///
    /// It always asks the registry; check `imageID` first to avoid that when any local copy will do.
    /// - Throws: `ContainerError` with the end of the pull's output (unknown image, registry
    ///   unreachable, credentials refused) or when the deadline passes.
    public func pull(_ reference: String, timeout: Double) throws -> String {
        let operation = "pull image \(reference)"
        let output = try run(["pull", reference], operation: operation, timeout: timeout, mergeOutput: true)
        guard output.succeeded else {
            throw failure(
                output, operation: operation,
                hint: "check the reference, that the registry is reachable from this host, and its credentials")
        }
        guard let id = try imageID(reference) else {
            throw ContainerError(
                operation: operation, command: output.shownCommand,
                cause: .unexpectedOutput("the pulled image is not found under its reference"),
                outputTail: output.tail)
        }
        return id
    }

    /// An id as `image inspect` reports it: podman writes `sha256:` in the iidfile but not in
    /// its inspect output; docker has the prefix in both.
    func canonicalImageID(_ written: String) -> String? {
        let trimmed = written.trimmingCharacters(in: .whitespacesAndNewlines)
        let hex = trimmed.hasPrefix("sha256:") ? String(trimmed.dropFirst("sha256:".count)) : trimmed
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { return nil }
        switch runtime {
        case .podman: return hex
        case .docker: return "sha256:\(hex)"
        }
    }
}
