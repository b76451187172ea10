import Yams

/// Reads `config.yaml` strictly: unknown keys and wrong types are errors with file:line:column,
/// so a typo never silently falls back to a default.
public enum HostConfigurationDecoder {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var problems: [String]
        public var description: String { problems.joined(separator: "\n") }
    }

    /// Applies the settings in `text` (the file at `file`) on top of `base`.
    public static func decode(_ text: String, file: String, base: HostConfiguration) throws(Failure)
        -> HostConfiguration
    {
        var problems: [String] = []
        var configuration = base
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Failure(problems: ["\(file): not valid YAML: \(error)"])
        }
        guard let root else { return base }
        guard let mapping = root.mapping else {
            throw Failure(problems: ["\(at(root, file)): expected a mapping of settings at the top level"])
        }
        func string(_ node: Node, _ key: String) -> String? {
            guard let scalar = node.scalar, !scalar.string.isEmpty else {
                problems.append("\(at(node, file)): '\(key)' must be a non-empty string")
                return nil
            }
            return scalar.string
        }
        func bool(_ node: Node, _ key: String) -> Bool? {
            switch node.scalar?.string {
            case "true": return true
            case "false": return false
            default:
                problems.append("\(at(node, file)): '\(key)' must be true or false")
                return nil
            }
        }
        func seconds(_ node: Node, _ key: String) -> Double? {
            guard let text = node.scalar?.string, case .success(let duration) = DurationSyntax.parse(text),
                duration > .zero
            else {
                problems.append("\(at(node, file)): '\(key)' must be a duration such as 30s, 5m or 1h")
                return nil
            }
            let parts = duration.components
            return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        }
        func entries(_ node: Node, _ section: String, _ known: [String]) -> [(String, Node)] {
            guard let mapping = node.mapping else {
                problems.append("\(at(node, file)): '\(section)' must be a mapping")
                return []
            }
            return mapping.compactMap { key, value in
                let name = key.scalar?.string ?? ""
                guard known.contains(name) else {
                    problems.append(
                        "\(at(key, file)): unknown setting '\(section).\(name)'; expected one of \(known.joined(separator: ", "))"
                    )
                    return nil
                }
                return (name, value)
            }
        }

        let topLevel = [
            "repository", "host", "runtime", "stateDirectory", "unitDirectory", "pollInterval", "allowEmpty",
        ]
        for (key, value) in entries(Node.mapping(mapping), "config", topLevel) {
            switch key {
            case "repository":
                let known = [
                    "url", "branch", "tag", "commit", "path", "credentials", "timeout", "requireFastForward", "signers",
                ]
                for (field, node) in entries(value, "repository", known) {
                    switch field {
                    case "url": configuration.repositoryURL = string(node, "repository.url")
                    case "branch": string(node, "repository.branch").map { configuration.tracking = .branch($0) }
                    case "tag": string(node, "repository.tag").map { configuration.tracking = .tag($0) }
                    case "commit":
                        if let id = string(node, "repository.commit") {
                            if id.count == 40 && id.allSatisfy(\.isHexDigit) {
                                configuration.tracking = .commit(id.lowercased())
                            } else {
                                problems.append(
                                    "\(at(node, file)): 'repository.commit' must be a full 40-character commit id")
                            }
                        }
                    case "path": string(node, "repository.path").map { configuration.path = $0 }
                    case "timeout": seconds(node, "repository.timeout").map { configuration.gitTimeout = $0 }
                    case "requireFastForward":
                        bool(node, "repository.requireFastForward").map { configuration.requireFastForward = $0 }
                    case "credentials":
                        let names = [
                            "username", "passwordFile", "sshKeyFile", "sshKeyPassphraseFile", "knownHostsFile",
                            "caFile",
                        ]
                        for (name, item) in entries(node, "repository.credentials", names) {
                            let text = string(item, "repository.credentials.\(name)")
                            switch name {
                            case "username": configuration.credentials.username = text
                            case "passwordFile": configuration.credentials.passwordFile = text
                            case "sshKeyFile": configuration.credentials.sshKeyFile = text
                            case "sshKeyPassphraseFile": configuration.credentials.sshKeyPassphraseFile = text
                            case "knownHostsFile": configuration.credentials.knownHostsFile = text
                            default: configuration.credentials.caFile = text
                            }
                        }
                    default:  // signers
                        for (name, item) in entries(
                            node, "repository.signers", ["sshAllowedSigners", "openPGPKeyring"])
                        {
                            guard let path = string(item, "repository.signers.\(name)") else { continue }
                            configuration.signers =
                                name == "sshAllowedSigners" ? .sshAllowedSigners(path) : .openPGPKeyring(path)
                        }
                    }
                }
            case "host":
                for (field, node) in entries(value, "host", ["name", "labels"]) {
                    if field == "name" {
                        string(node, "host.name").map { configuration.hostName = $0 }
                    } else if let labels = node.mapping {
                        for (label, labelValue) in labels {
                            guard let name = label.scalar?.string, let text = labelValue.scalar?.string else {
                                problems.append("\(at(label, file)): host labels must be name: value strings")
                                continue
                            }
                            configuration.labels[name] = text
                        }
                    } else {
                        problems.append("\(at(node, file)): 'host.labels' must be a mapping of name: value")
                    }
                }
            case "runtime":
                if let text = string(value, "runtime") {
                    if let runtime = ContainerRuntime(rawValue: text) {
                        configuration.runtime = runtime
                    } else {
                        problems.append("\(at(value, file)): 'runtime' must be podman or docker, not '\(text)'")
                    }
                }
            case "stateDirectory": string(value, "stateDirectory").map { configuration.stateDirectory = $0 }
            case "unitDirectory": string(value, "unitDirectory").map { configuration.unitDirectory = $0 }
            case "pollInterval": seconds(value, "pollInterval").map { configuration.pollInterval = $0 }
            default: bool(value, "allowEmpty").map { configuration.allowEmpty = $0 }
            }
        }
        if !problems.isEmpty { throw Failure(problems: problems) }
        return configuration
    }

    private static func at(_ node: Node, _ file: String) -> String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }
}
