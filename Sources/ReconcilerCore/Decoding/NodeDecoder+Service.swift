internal import Yams

extension NodeDecoder {
    /// The keys of a `kind: Service` document.
    static let serviceKeys = [
        "apiVersion", "kind", "name", "description", "hosts", "image", "command", "ports", "env", "envFiles",
        "volumes", "user", "after", "restart", "health", "secrets", "replicas",
        "network", "files", "reload",
    ]

    /// Decodes a `kind: Service` document.
    ///
    /// Returns nil only when the name is unusable; a service with other problems is still returned
    /// (those are recorded) so that cross-document checks can name it.
    mutating func service(_ root: Node) -> DecodedService? {
        guard let fields = fields(of: root, at: .root, allowed: Self.serviceKeys) else { return nil }
        let name = serviceName(fields)
        let imageNode = required("image", in: fields, at: .root, hint: "; set image.build or image.ref")
        let image = imageNode.flatMap { imageSource($0, at: .root.key("image")) }
        let documentLocation = location(of: root)
        // A placeholder keeps decoding going; the state is discarded because an error was recorded.
        var spec = ServiceSpec(name: name?.value ?? "", image: image ?? .reference(""), location: documentLocation)
        spec.description = fields["description"].flatMap { description($0) }
        spec.hosts = fields["hosts"].flatMap { hostSelector($0, at: .root.key("hosts")) }
        spec.command = fields["command"].flatMap { strings($0, at: .root.key("command")) }?.map(\.value) ?? []
        let ports = fields["ports"].flatMap { parsedList($0, at: .root.key("ports"), PortSyntax.parse) } ?? []
        spec.ports = ports.map(\.value)
        if let env = fields["env"] {
            spec.environment = stringMap(env, at: .root.key("env"), keyProblem: EnvironmentName.problem) ?? [:]
        }
        spec.environmentFiles = fields["envFiles"].flatMap { environmentFiles($0) } ?? []
        spec.volumes =
            fields["volumes"].flatMap { parsedList($0, at: .root.key("volumes"), VolumeSyntax.parse) }?.map(\.value)
            ?? []
        spec.secrets = fields["secrets"].flatMap { secretFiles($0, at: .root.key("secrets")) } ?? []
        spec.files = fields["files"].flatMap { configFiles($0, at: .root.key("files")) } ?? []
        if let reloadNode = fields["reload"], let reload = strings(reloadNode, at: .root.key("reload")) {
            if reload.isEmpty { error(at: reloadNode, .root.key("reload"), "the reload command must not be empty") }
            spec.reload = reload.map(\.value)
        }
        if let userNode = fields["user"], let user = string(userNode, at: .root.key("user")) {
            if let problem = UserSyntax.problem(user) {
                error(at: userNode, .root.key("user"), problem.message)
            }
            spec.user = user
        }
        let after = fields["after"].flatMap { strings($0, at: .root.key("after")) } ?? []
        spec.after = after.map(\.value)
        if let restartNode = fields["restart"], let restart = restartPolicy(restartNode) {
            spec.restart = restart
        }
        spec.health = fields["health"].flatMap { healthCheck($0, at: .root.key("health")) }
        var instancePorts: [Located<PortMapping>] = []
        if let replicasNode = fields["replicas"],
            let (replicas, located) = replicas(replicasNode, at: .root.key("replicas"))
        {
            spec.replicas = replicas
            instancePorts = located
            if let portsNode = fields["ports"], !ports.isEmpty {
                error(
                    at: portsNode, .root.key("ports"),
                    "a service with replicas publishes each instance's port in replicas.ports; move these there")
            }
        }
        if let healthNode = fields["health"], let health = spec.health,
            Self.usesPortPlaceholder(health) ? spec.replicas == nil : spec.replicas != nil && !health.isCommand
        {
            error(
                at: healthNode, .root.key("health"),
                spec.replicas != nil
                    ? "with replicas, write the health check's port as {port} (like http://127.0.0.1:{port}/ or"
                        + " tcp: \"{port}\") so each instance is checked on its own port"
                    : "{port} stands for an instance's port and needs replicas:; write the port number")
        }
        if let networkNode = fields["network"],
            let network = serviceNetwork(networkNode, publishes: !ports.isEmpty || !instancePorts.isEmpty)
        {
            spec.network = network
        }
        guard let name else { return nil }
        return DecodedService(spec: spec, name: name, ports: ports, after: after, instancePorts: instancePorts)
    }

    private mutating func serviceName(_ fields: Fields) -> Located<String>? {
        guard let node = required("name", in: fields, at: .root),
            let name = string(node, at: .root.key("name"))
        else { return nil }
        if let problem = UnitNameRules.serviceNameProblem(name) {
            error(at: node, .root.key("name"), problem.message)
            return nil
        }
        return Located(value: name, location: location(of: node), path: "name")
    }

    /// A list of strings, each parsed by `parse`; failures are reported at the item.
    mutating func parsedList<Value>(
        _ node: Node, at path: FieldPath, _ parse: (String) -> Result<Value, ValueProblem>
    ) -> [Located<Value>]? {
        guard let items = strings(node, at: path) else { return nil }
        return items.compactMap { item in
            switch parse(item.value) {
            case .success(let value):
                return Located(value: value, location: item.location, path: item.path)
            case .failure(let problem):
                diagnostics.append(Diagnostic(at: item.location, path: item.path, problem.message))
                return nil
            }
        }
    }

    private mutating func environmentFiles(_ node: Node) -> [String]? {
        guard let files = strings(node, at: .root.key("envFiles")) else { return nil }
        for file in files where !file.value.hasPrefix("/") {
            diagnostics.append(
                Diagnostic(
                    at: file.location, path: file.path,
                    "env file '\(file.value)' must be an absolute path on the host, like /etc/reconciler/secrets/app.env"
                ))
        }
        return files.map(\.value)
    }

    private mutating func restartPolicy(_ node: Node) -> RestartPolicy? {
        guard let text = string(node, at: .root.key("restart")) else { return nil }
        guard let policy = RestartPolicy(rawValue: text) else {
            let allowed = RestartPolicy.allCases.map(\.rawValue)
            let hint = KeySuggestion.closest(to: text, among: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            error(
                at: node, .root.key("restart"),
                "unknown restart policy '\(text)'; expected \(allowed.joined(separator: ", "))\(hint)")
            return nil
        }
        return policy
    }

    /// `network: host|bridge`. A host-network container binds the host's ports itself, so a
    /// `ports` list alongside would be ignored by podman and refused by docker: say so here.
    private mutating func serviceNetwork(_ node: Node, publishes: Bool) -> ServiceNetwork? {
        let path = FieldPath.root.key("network")
        guard let text = string(node, at: path) else { return nil }
        guard let network = ServiceNetwork(rawValue: text) else {
            let allowed = ServiceNetwork.allCases.map(\.rawValue).joined(separator: " or ")
            error(at: node, path, "unknown network '\(text)'; expected \(allowed)")
            return nil
        }
        if network == .host, publishes {
            error(
                at: node, path,
                "a service on the host network cannot publish ports: it listens on the host's addresses itself;"
                    + " remove ports, or drop network: host")
            return nil
        }
        return network
    }

    /// `health: {http: url | tcp: port | command: [...], timeout: 60s}`.
    private mutating func healthCheck(_ node: Node, at path: FieldPath) -> HealthCheck? {
        let probes = ["http", "tcp", "command"]
        guard let fields = fields(of: node, at: path, allowed: probes + ["timeout"]) else { return nil }
        let given = probes.filter { fields[$0] != nil }
        guard given.count == 1, let kind = given.first, let probeNode = fields[kind] else {
            let found = given.isEmpty ? "none" : given.joined(separator: " and ")
            error(at: node, path, "set exactly one probe: http, tcp or command (found \(found))")
            return nil
        }
        var timeout = Duration.seconds(60)
        if let timeoutNode = fields["timeout"], let text = string(timeoutNode, at: path.key("timeout")) {
            switch DurationSyntax.parse(text) {
            case .success(let duration): timeout = duration
            case .failure(let problem): error(at: timeoutNode, path.key("timeout"), problem.message)
            }
        }
        let probePath = path.key(kind)
        switch kind {
        case "http":
            guard let url = string(probeNode, at: probePath) else { return nil }
            guard url.hasPrefix("http://"), url.count > "http://".count, !url.contains(" ") else {
                error(at: probeNode, probePath, "health URL '\(url)' must start with http:// and name a host")
                return nil
            }
            return HealthCheck(probe: .http(url: url), timeout: timeout)
        case "tcp":
            guard let text = string(probeNode, at: probePath, expected: "a port number") else { return nil }
            // Port 0 stands for each instance's own port; replicas: replaces it.
            if text == Replicas.portPlaceholder { return HealthCheck(probe: .tcp(port: 0), timeout: timeout) }
            switch PortSyntax.number(text) {
            case .success(let port):
                return HealthCheck(probe: .tcp(port: port), timeout: timeout)
            case .failure(let problem):
                error(at: probeNode, probePath, problem.message)
                return nil
            }
        default:
            guard let command = strings(probeNode, at: probePath) else { return nil }
            guard !command.isEmpty else {
                error(at: probeNode, probePath, "the health command must not be empty")
                return nil
            }
            return HealthCheck(probe: .command(command.map(\.value)), timeout: timeout)
        }
    }
}

extension NodeDecoder {
    /// Whether a health check names the instance's port (`{port}`) instead of a number.
    static func usesPortPlaceholder(_ check: HealthCheck) -> Bool {
        switch check.probe {
        case .http(let url): url.contains(Replicas.portPlaceholder)
        case .tcp(let port): port == 0
        case .command: false
        }
    }
}

extension HealthCheck {
    var isCommand: Bool {
        if case .command = probe { return true }
        return false
    }
}

extension NodeDecoder {
    /// `Description=` takes its value verbatim, so nothing can escape a final backslash there,
    /// and systemd would join the next line of the unit (`Wants=`, ...) to the description.
    mutating func description(_ node: Node) -> String? {
        let path = FieldPath.root.key("description")
        guard let text = string(node, at: path) else { return nil }
        guard !SystemdEscaping.endsInBackslash(text) else {
            error(
                at: node, path,
                "ends in a backslash, which systemd reads as a line continuation that would swallow the next"
                    + " line of the unit; drop the final backslash")
            return nil
        }
        return text
    }
}
