/// The container engine (podman or docker), as the engine needs it.
public protocol ContainerDriver {
    /// The engine the rendered units run.
    var runtime: ContainerRuntime { get }

    /// The container of that name, nil when there is none.
    func container(named name: String) throws -> ObservedContainer?

    /// The id of the local image a reference names, nil when there is none.
    func imageID(_ reference: String) throws -> String?

    /// Builds an image and tags it `reference`.
    /// - Returns: the new image's id.
    func build(
        reference: String, contextDirectory: String, dockerfile: String, arguments: [String: String],
        timeout: Double
    ) throws -> String

    /// Pulls `reference` from its registry.
    /// - Returns: the image's id.
    func pull(_ reference: String, timeout: Double) throws -> String

    /// Removes the local image `reference` names (the tag, and the image when no other tag
    /// and no container uses it).
    func removeImage(_ reference: String) throws
}
