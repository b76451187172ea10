internal import Yams

extension NodeDecoder {
    /// The schema versions this build reads.
    static let supportedAPIVersions = ["reconciler/v1"]
    /// The document kinds of schema v1.
    static let kinds = ["Service", "Unit"]

    /// Decodes one document: checks `apiVersion` and `kind`, then the kind's own keys.
    ///
    /// A document with an unknown version or kind is not looked into further: its keys belong to
    /// a schema this build does not know, so reporting them would only add noise.
    mutating func document(_ root: Node) -> DecodedDocument? {
        guard case .mapping(let mapping) = root else {
            error(at: root, .root, "expected a mapping with apiVersion, kind and name, found \(kind(root))")
            return nil
        }
        let header = Dictionary(
            mapping.compactMap { key, value in key.scalar.map { ($0.string, value) } },
            uniquingKeysWith: { first, _ in first })
        let versionOK = checkAPIVersion(header["apiVersion"], root: root)
        guard let kindName = checkKind(header["kind"], root: root), versionOK else { return nil }
        switch kindName {
        case "Service": return service(root).map(DecodedDocument.service)
        default: return unit(root).map(DecodedDocument.unit)
        }
    }

    private mutating func checkAPIVersion(_ node: Node?, root: Node) -> Bool {
        let supported = Self.supportedAPIVersions.joined(separator: ", ")
        guard let node else {
            error(
                at: root, .root.key("apiVersion"),
                "required key 'apiVersion' is missing; write apiVersion: \(supported)")
            return false
        }
        guard let version = string(node, at: .root.key("apiVersion")) else { return false }
        guard Self.supportedAPIVersions.contains(version) else {
            error(at: node, .root.key("apiVersion"), "unsupported apiVersion '\(version)'; supported: \(supported)")
            return false
        }
        return true
    }

    private mutating func checkKind(_ node: Node?, root: Node) -> String? {
        let expected = Self.kinds.joined(separator: " or ")
        guard let node else {
            error(at: root, .root.key("kind"), "required key 'kind' is missing; expected \(expected)")
            return nil
        }
        guard let kindName = string(node, at: .root.key("kind")) else { return nil }
        guard Self.kinds.contains(kindName) else {
            let hint = KeySuggestion.closest(to: kindName, among: Self.kinds).map { " (did you mean '\($0)'?)" } ?? ""
            error(at: node, .root.key("kind"), "unknown kind '\(kindName)'; expected \(expected)\(hint)")
            return nil
        }
        return kindName
    }

    /// `hosts: {names: [...], labels: {...}}`.
    mutating func hostSelector(_ node: Node, at path: FieldPath) -> HostSelector? {
        guard let fields = fields(of: node, at: path, allowed: ["names", "labels"]) else { return nil }
        var selector = HostSelector()
        if let names = fields["names"].flatMap({ strings($0, at: path.key("names")) }) {
            for name in names where name.value.isEmpty {
                diagnostics.append(Diagnostic(at: name.location, path: name.path, "host name must not be empty"))
            }
            selector.names = names.map(\.value)
        }
        if let labels = fields["labels"] {
            selector.labels =
                stringMap(labels, at: path.key("labels")) { key in
                    key.isEmpty ? ValueProblem("label names must not be empty") : nil
                } ?? [:]
        }
        return selector
    }
}
