internal import Yams

extension NodeDecoder {
    /// `replicas: {count: N, ports: [one per instance], update: rolling|recreate}`.
    /// Returns the replicas and where each instance's port was written, for the clash checks.
    mutating func replicas(_ node: Node, at path: FieldPath) -> (Replicas, [Located<PortMapping>])? {
        guard let fields = fields(of: node, at: path, allowed: ["count", "ports", "update"]) else { return nil }
        guard let countNode = required("count", in: fields, at: path, hint: "; write count: 2"),
            let countText = string(countNode, at: path.key("count"), expected: "a number of instances")
        else { return nil }
        let maximum = Replicas.maximumCount
        guard let count = Int(countText), (1...maximum).contains(count) else {
            error(at: countNode, path.key("count"), "count '\(countText)' must be a whole number from 1 to \(maximum)")
            return nil
        }
        var update: Replicas.Update?
        if let updateNode = fields["update"], let text = string(updateNode, at: path.key("update")) {
            guard let parsed = Replicas.Update(rawValue: text) else {
                let allowed = Replicas.Update.allCases.map(\.rawValue)
                error(
                    at: updateNode, path.key("update"),
                    "unknown update strategy '\(text)'; expected \(allowed.joined(separator: " or "))")
                return nil
            }
            update = parsed
        }
        guard let portsNode = required("ports", in: fields, at: path, hint: "; give one host port per instance"),
            let ports = parsedList(portsNode, at: path.key("ports"), PortSyntax.parse)
        else { return nil }
        guard ports.count == count else {
            error(
                at: portsNode, path.key("ports"),
                "\(count) instances need \(count) ports, one per instance, found \(ports.count);"
                    + " like [\"127.0.0.1:8001:8080\", \"127.0.0.1:8002:8080\"]")
            return nil
        }
        return (Replicas(count: count, ports: ports.map(\.value), update: update), ports)
    }
}
