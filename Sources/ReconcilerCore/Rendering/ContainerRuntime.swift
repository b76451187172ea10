/// The container engine a host runs services with.
public enum ContainerRuntime: String, Sendable, CaseIterable, Codable {
    /// Podman, the primary runtime: the unit supervises conmon, as Podman Quadlet does.
    case podman
    /// Docker: the unit supervises the `docker run` client attached to the container.
    case docker

    /// The engine's command-line client.
    public var executable: String {
        switch self {
        case .podman: "/usr/bin/podman"
        case .docker: "/usr/bin/docker"
        }
    }
}
