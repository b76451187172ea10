/// A container supervised by a systemd unit: `kind: Service`.
public struct ServiceSpec: Sendable, Equatable {
    /// The unit name stem: service `blog` runs as `blog.service` and container `blog`.
    public var name: String
    public var description: String?
    public var hosts: HostSelector?
    public var image: ImageSource
    /// Arguments that replace the image's CMD; empty keeps it.
    public var command: [String]
    public var ports: [PortMapping]
    /// Environment variables, passed to the container exactly as written.
    public var environment: [String: String]
    /// Absolute paths of env files on the host (secrets, never in git).
    public var environmentFiles: [String]
    public var volumes: [VolumeMount]
    /// age-encrypted files from git, decrypted on the host into `/run/secrets/NAME`.
    public var secrets: [SecretFile]
    /// Plain files from git mounted read-only into the container (configuration).
    public var files: [ConfigFile] = []
    /// A command run inside the container to make it re-read its files (`ExecReload=`); empty
    /// means a changed file restarts the service.
    public var reload: [String] = []
    /// `user[:group]` inside the container, by name or number.
    public var user: String?
    /// Services (by name) this one starts after and requires.
    public var after: [String]
    public var restart: RestartPolicy
    public var health: HealthCheck?
    /// `replicas:` as written; nil once the service is expanded into its instances.
    public var replicas: Replicas?
    /// Set on each instance a replicated service expands to.
    public var instance: ServiceInstance?
    /// `bridge` (the default) or `host`.
    public var network: ServiceNetwork = .bridge
    /// Where the document starts, for messages about the whole service.
    public var location: SourceLocation

    public init(
        name: String,
        description: String? = nil,
        hosts: HostSelector? = nil,
        image: ImageSource,
        command: [String] = [],
        ports: [PortMapping] = [],
        environment: [String: String] = [:],
        environmentFiles: [String] = [],
        volumes: [VolumeMount] = [],
        secrets: [SecretFile] = [],
        user: String? = nil,
        after: [String] = [],
        restart: RestartPolicy = .always,
        health: HealthCheck? = nil,
        replicas: Replicas? = nil,
        instance: ServiceInstance? = nil,
        location: SourceLocation
    ) {
        self.name = name
        self.description = description
        self.hosts = hosts
        self.image = image
        self.command = command
        self.ports = ports
        self.environment = environment
        self.environmentFiles = environmentFiles
        self.volumes = volumes
        self.secrets = secrets
        self.user = user
        self.after = after
        self.restart = restart
        self.health = health
        self.replicas = replicas
        self.instance = instance
        self.location = location
    }

    /// The systemd unit this service is rendered to.
    public var unitName: String { "\(name).service" }

    /// The name its image is built under: the group's for an instance, so N instances share one build.
    public var imageName: String { instance?.group ?? name }
}

/// Where a service's image comes from.
public enum ImageSource: Sendable, Equatable {
    /// Built from the repository: context and Dockerfile paths relative to the repository root.
    case build(BuildSpec)
    /// Pulled from a registry by reference, e.g. `registry.example/blog:1.4`.
    case reference(String)
}

public struct BuildSpec: Sendable, Equatable {
    /// The build context, relative to the repository root ("." is the root).
    public var context: String
    /// The Dockerfile, relative to the repository root.
    public var dockerfile: String
    /// `--build-arg` values.
    public var arguments: [String: String]

    public init(context: String, dockerfile: String, arguments: [String: String] = [:]) {
        self.context = context
        self.dockerfile = dockerfile
        self.arguments = arguments
    }
}

/// `[hostIP:]hostPort:containerPort[/protocol]`.
public struct PortMapping: Sendable, Hashable {
    public enum TransportProtocol: String, Sendable, Hashable { case tcp, udp }

    /// The host address to bind, nil for all addresses.
    public var hostIP: String?
    public var hostPort: Int
    public var containerPort: Int
    public var transport: TransportProtocol

    public init(hostIP: String? = nil, hostPort: Int, containerPort: Int, transport: TransportProtocol = .tcp) {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.transport = transport
    }

    /// The form podman and docker take after `-p`.
    public var publishArgument: String {
        let host = hostIP.map { $0.contains(":") ? "[\($0)]:" : "\($0):" } ?? ""
        return "\(host)\(hostPort):\(containerPort)/\(transport.rawValue)"
    }
}

/// `source:target[:ro]`, where source is a named volume or an absolute host path.
public struct VolumeMount: Sendable, Hashable {
    public var source: String
    public var target: String
    public var readOnly: Bool

    public init(source: String, target: String, readOnly: Bool = false) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }

    /// True for a named volume (`blog-data`), false for a host path (`/srv/blog`).
    public var isNamedVolume: Bool { !source.hasPrefix("/") }

    public var volumeArgument: String { "\(source):\(target)\(readOnly ? ":ro" : "")" }
}

/// systemd's `Restart=` values the schema allows.
public enum RestartPolicy: String, Sendable, Equatable, CaseIterable {
    case always
    case onFailure = "on-failure"
    case no
}

/// How the reconciler decides a service is healthy after a deploy.
public struct HealthCheck: Sendable, Hashable {
    public enum Probe: Sendable, Hashable {
        /// An HTTP GET that must answer 2xx or 3xx.
        case http(url: String)
        /// A TCP connect to the host's port.
        case tcp(port: Int)
        /// A command run inside the container that must exit 0.
        case command([String])
    }

    public var probe: Probe
    /// How long the check may take to pass after a start.
    public var timeout: Duration

    public init(probe: Probe, timeout: Duration = .seconds(60)) {
        self.probe = probe
        self.timeout = timeout
    }
}
