import Foundation
import ReconcilerCore

/// A local image as `images` lists it.
public struct ContainerImage: Sendable, Equatable {
    /// The image id, in the runtime's form (see `ContainerEngine`).
    public var id: String
    /// Its `repository:tag` names, sorted; empty for a dangling image.
    public var names: [String]
    /// When it was created, in seconds since the epoch; nil when the runtime did not say.
    public var created: Int64?

    public init(id: String, names: [String], created: Int64?) {
        self.id = id
        self.names = names
        self.created = created
    }
}

extension ContainerEngine {
    /// The local images carrying `label` (`key=value`, or a bare key), sorted by id, each once.
    ///
    /// Intermediate build layers are not listed; dangling images (names replaced by a newer
    /// build) are, with no names, so pruning can find them.
    public func images(labelled label: String = managedLabel) throws(ContainerError) -> [ContainerImage] {
        let operation = "list images labelled \(label)"
        switch runtime {
        case .podman:
            var output = try run(
                ["images", "--filter", "label=\(label)", "--format", "json"], operation: operation,
                timeout: inspectTimeout)
            // podman 4.3 fails the whole listing ("Image ... may be corrupted ...: image not known")
            // when another process removes an image while it reads them; a second look succeeds.
            for _ in 0..<2 where !output.succeeded && output.mentions(["image not known"]) {
                output = try run(
                    ["images", "--filter", "label=\(label)", "--format", "json"], operation: operation,
                    timeout: inspectTimeout)
            }
            guard output.succeeded else { throw failure(output, operation: operation, hint: nil) }
            let listed = try decode([PodmanImageListing].self, output, operation: operation)
            // podman 4.3 lists an image once per name, each time with all of its names.
            var byID: [String: ContainerImage] = [:]
            for image in listed {
                byID[image.id] = ContainerImage(
                    id: image.id, names: (image.names ?? []).sorted(), created: image.created)
            }
            return byID.values.sorted { $0.id < $1.id }
        case .docker:
            // docker 20.10 has no JSON list format; `{{json .}}` prints one object per name.
            let output = try run(
                ["images", "--no-trunc", "--filter", "label=\(label)", "--format", "{{json .}}"],
                operation: operation, timeout: inspectTimeout)
            guard output.succeeded else { throw failure(output, operation: operation, hint: nil) }
            var byID: [String: ContainerImage] = [:]
            for line in output.standardOutput.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                let fake = ContainerEngine.CommandOutput(
                    termination: output.termination, standardOutput: Array(line), tail: output.tail,
                    shownCommand: output.shownCommand)
                let image = try decode(DockerImageListing.self, fake, operation: operation)
                var entry = byID[image.id] ?? ContainerImage(id: image.id, names: [], created: nil)
                if image.repository != "<none>", image.tag != "<none>" {
                    entry.names = (entry.names + ["\(image.repository):\(image.tag)"]).sorted()
                }
                byID[image.id] = entry
            }
            return byID.values.sorted { $0.id < $1.id }
        }
    }
}

/// One entry of `podman images --format json`.
private struct PodmanImageListing: Decodable {
    let id: String
    let names: [String]?
    let created: Int64?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case names = "Names"
        case created = "Created"
    }
}

/// One line of `docker images --format '{{json .}}'`.
private struct DockerImageListing: Decodable {
    let id: String
    let repository: String
    let tag: String

    enum CodingKeys: String, CodingKey {
        case id = "ID"
        case repository = "Repository"
        case tag = "Tag"
    }
}
