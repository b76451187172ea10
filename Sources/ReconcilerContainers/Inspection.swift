/// The part of `image inspect`'s JSON the reconciler reads (the same keys in podman and docker).
struct ImageInspection: Decodable {
    let id: String

    enum CodingKeys: String, CodingKey {
        case id = "Id"
    }
}

/// The part of `container inspect`'s JSON the reconciler reads (the same keys in podman and docker).
struct ContainerInspection: Decodable {
    let id: String
    /// podman: `blog`; docker: `/blog`.
    let name: String
    /// The id of the image the container was created from.
    let image: String
    let state: State
    let config: Config?

    struct Config: Decodable {
        /// null in docker's JSON when the container has none.
        let labels: [String: String]?

        enum CodingKeys: String, CodingKey {
            case labels = "Labels"
        }
    }

    struct State: Decodable {
        let running: Bool

        enum CodingKeys: String, CodingKey {
            case running = "Running"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case name = "Name"
        case image = "Image"
        case state = "State"
        case config = "Config"
    }

    var plainName: String { name.hasPrefix("/") ? String(name.dropFirst()) : name }
}
