/// Checks that need every document at once: unique names, `after:` references, ports in use.
///
/// Documents are taken in file-then-line order, so "the second" of two clashing documents is
/// always the same one and each diagnostic names where the first is.
enum CrossDocumentChecks {
    static func diagnostics(services: [DecodedService], units: [DecodedUnit]) -> [Diagnostic] {
        let services = services.sorted { $0.spec.location < $1.spec.location }
        let units = units.sorted { $0.spec.location < $1.spec.location }
        return uniqueNames(services: services, units: units) + dependencies(services) + ports(services)
            + InstallSectionChecks.diagnostics(services: services, units: units)
    }

    /// Service `blog` and Unit `blog.service` would write the same file, so they clash too.
    private static func uniqueNames(services: [DecodedService], units: [DecodedUnit]) -> [Diagnostic] {
        let named =
            services.map { (unit: $0.spec.unitName, name: $0.name, what: "service '\($0.name.value)'") }
            + units.map { (unit: $0.spec.name, name: $0.name, what: "unit '\($0.name.value)'") }
        var first: [String: (name: Located<String>, what: String)] = [:]
        var result: [Diagnostic] = []
        for entry in named.sorted(by: { $0.name.location < $1.name.location }) {
            if let earlier = first[entry.unit] {
                result.append(
                    Diagnostic(
                        at: entry.name.location, path: entry.name.path,
                        "\(entry.unit) is already defined by \(earlier.what) at \(earlier.name.location)"))
            } else {
                first[entry.unit] = (entry.name, entry.what)
            }
        }
        return result
    }

    /// `after:` must name other services, and the ordering must have no cycle.
    private static func dependencies(_ services: [DecodedService]) -> [Diagnostic] {
        let byName = Dictionary(services.map { ($0.name.value, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [Diagnostic] = []
        var edges: [String: [Located<String>]] = [:]
        for service in services {
            var seen: Set<String> = []
            for dependency in service.after {
                if dependency.value == service.name.value {
                    result.append(
                        Diagnostic(at: dependency.location, path: dependency.path, "a service cannot come after itself")
                    )
                } else if byName[dependency.value] == nil {
                    let others = byName.keys.filter { $0 != service.name.value }.sorted()
                    let hint = KeySuggestion.closest(to: dependency.value, among: others)
                    result.append(
                        Diagnostic(
                            at: dependency.location, path: dependency.path,
                            "no service named '\(dependency.value)' in the desired state"
                                + (hint.map { "; did you mean '\($0)'?" } ?? "")))
                } else if !seen.insert(dependency.value).inserted {
                    result.append(
                        Diagnostic(
                            at: dependency.location, path: dependency.path, "'\(dependency.value)' is listed twice"))
                } else {
                    edges[service.name.value, default: []].append(dependency)
                }
            }
        }
        return result + cycles(edges, order: services.map(\.name.value))
    }

    /// Depth-first search in name order; each edge back into the current path closes one cycle.
    private static func cycles(_ edges: [String: [Located<String>]], order: [String]) -> [Diagnostic] {
        var state: [String: Bool] = [:]  // false: on the current path, true: finished
        var stack: [String] = []
        var result: [Diagnostic] = []
        func visit(_ name: String) {
            state[name] = false
            stack.append(name)
            for edge in edges[name] ?? [] {
                switch state[edge.value] {
                case nil:
                    visit(edge.value)
                case false?:
                    let loop = stack.drop(while: { $0 != edge.value }) + [edge.value]
                    result.append(
                        Diagnostic(
                            at: edge.location, path: edge.path,
                            "dependency cycle: \(loop.joined(separator: " -> ")); remove one of these after: entries"))
                case true?:
                    break
                }
            }
            stack.removeLast()
            state[name] = true
        }
        for name in order.sorted() where state[name] == nil {
            visit(name)
        }
        return result
    }

    /// Two services may run on one host unless their selectors exclude each other.
    private static func ports(_ services: [DecodedService]) -> [Diagnostic] {
        var result: [Diagnostic] = []
        var published: [(service: DecodedService, port: Located<PortMapping>)] = []
        for service in services {
            for port in service.ports {
                let clash = published.first { earlier in
                    mayShareHost(earlier.service.spec.hosts, service.spec.hosts)
                        && overlaps(earlier.port.value, port.value)
                }
                if let clash {
                    let owner =
                        clash.service.name.value == service.name.value
                        ? "this service" : "service '\(clash.service.name.value)'"
                    result.append(
                        Diagnostic(
                            at: port.location, path: port.path,
                            "host port \(describe(port.value)) is already published by \(owner) at"
                                + " \(clash.port.location)"))
                } else {
                    published.append((service, port))
                }
            }
        }
        return result
    }

    /// False only when the selectors cannot both match one host: both list names and share none,
    /// or both require the same label with different values.
    static func mayShareHost(_ a: HostSelector?, _ b: HostSelector?) -> Bool {
        guard let a, let b else { return true }
        if !a.names.isEmpty, !b.names.isEmpty, Set(a.names).isDisjoint(with: b.names) { return false }
        return a.labels.allSatisfy { key, value in b.labels[key].map { $0 == value } ?? true }
    }

    private static func overlaps(_ a: PortMapping, _ b: PortMapping) -> Bool {
        guard a.hostPort == b.hostPort, a.transport == b.transport else { return false }
        guard let ipA = a.hostIP, let ipB = b.hostIP else { return true }
        return ipA == ipB || IPAddressSyntax.isWildcard(ipA) || IPAddressSyntax.isWildcard(ipB)
    }

    private static func describe(_ port: PortMapping) -> String {
        let address = port.hostIP.map { $0.contains(":") ? "[\($0)]:" : "\($0):" } ?? ""
        return "\(address)\(port.hostPort)/\(port.transport.rawValue)"
    }
}
