internal import Yams

extension NodeDecoder {
    /// `files: [{source: desired-state/proxy/Caddyfile, target: /etc/caddy/Caddyfile, mode: "0644"}]`.
    ///
    /// `source` is relative to the repository root like every manifest path; `target` is where
    /// the container reads it; `mode` is octal, 0644 by default, never setuid, setgid or sticky.
    mutating func configFiles(_ node: Node, at path: FieldPath) -> [ConfigFile]? {
        guard case .sequence(let items) = node else {
            error(at: node, path, "expected a list of {source, target, mode} mappings, found \(kind(node))")
            return nil
        }
        var result: [ConfigFile] = []
        var targets: [String: SourceLocation] = [:]
        for (index, item) in items.enumerated() {
            let itemPath = path.index(index)
            guard let file = configFile(item, at: itemPath) else { continue }
            if let earlier = targets[file.target] {
                error(
                    at: item, itemPath.key("target"),
                    "target '\(file.target)' is already used at \(earlier); each file needs its own target")
                continue
            }
            targets[file.target] = location(of: item)
            result.append(file)
        }
        return result
    }

    private mutating func configFile(_ node: Node, at path: FieldPath) -> ConfigFile? {
        guard let fields = fields(of: node, at: path, allowed: ["source", "target", "mode"]) else { return nil }
        guard let sourceNode = required("source", in: fields, at: path, hint: "; the file in the repository"),
            let text = string(sourceNode, at: path.key("source")),
            let source = repositoryPath(text, at: sourceNode, path.key("source"), expecting: .regularFile)
        else { return nil }
        guard let targetNode = required("target", in: fields, at: path, hint: "; the path in the container"),
            let target = string(targetNode, at: path.key("target"))
        else { return nil }
        if let problem = ConfigFile.targetProblem(target) {
            error(at: targetNode, path.key("target"), problem)
            return nil
        }
        var mode = ConfigFile.defaultMode
        if let modeNode = fields["mode"], let modeText = string(modeNode, at: path.key("mode")) {
            guard let parsed = UInt16(modeText, radix: 8), parsed <= 0o777, modeText.count <= 4 else {
                error(
                    at: modeNode, path.key("mode"),
                    "mode '\(modeText)' must be octal permission bits from 0000 to 0777, like \"0640\" (quoted)")
                return nil
            }
            mode = parsed
        }
        if case .file(let size)? = tree.entry(at: source), size > ConfigFile.maximumSize {
            error(at: sourceNode, path.key("source"), tooLarge(text, size: size))
            return nil
        }
        let bytes: [UInt8]
        do {
            bytes = try tree.contents(of: source)
        } catch {
            self.error(at: sourceNode, path.key("source"), "cannot read '\(text)': \(error)")
            return nil
        }
        guard bytes.count <= ConfigFile.maximumSize else {
            error(at: sourceNode, path.key("source"), tooLarge(text, size: bytes.count))
            return nil
        }
        return ConfigFile(source: source, target: target, mode: mode, contents: bytes)
    }

    private func tooLarge(_ text: String, size: Int) -> String {
        "'\(text)' is \(size) bytes; files may be at most \(ConfigFile.maximumSize) bytes (1 MiB): they are"
            + " configuration, keep data in a volume"
    }
}
