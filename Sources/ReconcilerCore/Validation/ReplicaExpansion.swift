/// Turns a service with `replicas:` into its instances, ordinary services named `NAME-1`,
/// `NAME-2`, ... before the cross-document checks, so names, ports and `after:` of the
/// instances are checked like any other service's. Each instance is its own unit and
/// container: the ownership label, health check and `diff` all name one instance.
enum ReplicaExpansion {
    static func expand(_ services: [DecodedService]) -> [DecodedService] {
        var groups: [String: [String]] = [:]
        for service in services {
            if let replicas = service.spec.replicas {
                groups[service.name.value] = (1...replicas.count).map {
                    ServiceInstance.name(group: service.name.value, index: $0)
                }
            }
        }
        guard !groups.isEmpty else { return services }
        return services.flatMap { service -> [DecodedService] in
            var service = service
            // `after: [blog]` waits for every instance of blog.
            service.after = service.after.flatMap { dependency in
                (groups[dependency.value] ?? [dependency.value]).map {
                    Located(value: $0, location: dependency.location, path: dependency.path)
                }
            }
            service.spec.after = service.after.map(\.value)
            guard let replicas = service.spec.replicas else { return [service] }
            return (1...replicas.count).map { index in instance(index, of: service, replicas: replicas) }
        }
    }

    private static func instance(_ index: Int, of service: DecodedService, replicas: Replicas) -> DecodedService {
        let name = ServiceInstance.name(group: service.name.value, index: index)
        let port = service.instancePorts[index - 1]
        var spec = service.spec
        spec.name = name
        spec.replicas = nil
        spec.instance = ServiceInstance(group: service.name.value, index: index, update: replicas.update)
        spec.ports = [port.value]
        spec.health = spec.health.map { check in
            var check = check
            switch check.probe {
            case .http(let url):
                check.probe = .http(url: url.replacing(Replicas.portPlaceholder, with: "\(port.value.hostPort)"))
            case .tcp:
                check.probe = .tcp(port: port.value.hostPort)
            case .command:
                break
            }
            return check
        }
        return DecodedService(
            spec: spec, name: Located(value: name, location: service.name.location, path: service.name.path),
            ports: [port], after: service.after)
    }
}
