/// `[ip:]hostPort:containerPort[/tcp|udp]`, as podman's `--publish` takes it; IPv6 in brackets.
enum PortSyntax {
    static let form = "[ip:]hostPort:containerPort[/tcp|udp], like \"8080:8080\" or \"127.0.0.1:8080:80/tcp\""

    /// Parses one `ports:` entry.
    static func parse(_ text: String) -> Result<PortMapping, ValueProblem> {
        var rest = Substring(text)
        var transport = PortMapping.TransportProtocol.tcp
        if let slash = rest.lastIndex(of: "/") {
            let name = rest[rest.index(after: slash)...]
            guard let parsed = PortMapping.TransportProtocol(rawValue: String(name)) else {
                return .failure(ValueProblem("unknown protocol '\(name)' in port '\(text)'; expected tcp or udp"))
            }
            transport = parsed
            rest = rest[..<slash]
        }
        var hostIP: String?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                return .failure(ValueProblem("port '\(text)' has an unclosed '[' around its IPv6 address"))
            }
            let address = rest[rest.index(after: rest.startIndex)..<close]
            guard IPAddressSyntax.isIPv6(address) else {
                return .failure(ValueProblem("'\(address)' in port '\(text)' is not a valid IPv6 address"))
            }
            hostIP = String(address)
            rest = rest[rest.index(close, offsetBy: 2)...]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        if hostIP == nil, parts.count == 3 {
            guard IPAddressSyntax.isIPv4(parts[0]) else {
                return .failure(
                    ValueProblem(
                        "'\(parts[0])' in port '\(text)' is not a valid IPv4 address (write IPv6 addresses in brackets)"
                    ))
            }
            hostIP = String(parts[0])
        } else if parts.count != 2 {
            return .failure(ValueProblem("port '\(text)' is not of the form \(form)"))
        }
        let ports = parts.suffix(2)
        switch (number(ports[ports.startIndex], in: text), number(ports[ports.startIndex + 1], in: text)) {
        case (.failure(let problem), _), (_, .failure(let problem)):
            return .failure(problem)
        case (.success(let host), .success(let container)):
            return .success(PortMapping(hostIP: hostIP, hostPort: host, containerPort: container, transport: transport))
        }
    }

    /// A port number 1-65535 written in decimal.
    static func number(_ text: some StringProtocol, in whole: String? = nil) -> Result<Int, ValueProblem> {
        let context = whole.map { " in '\($0)'" } ?? ""
        guard !text.isEmpty, text.count <= 6, text.allSatisfy(\.isASCIIDigit), let value = Int(text) else {
            return .failure(ValueProblem("port '\(text)'\(context) is not a number; expected 1-65535"))
        }
        guard (1...65535).contains(value) else {
            return .failure(ValueProblem("port \(text)\(context) is out of range; expected 1-65535"))
        }
        return .success(value)
    }
}
