internal import Yams

extension NodeDecoder {
    /// The keys of a `kind: Unit` document.
    static let unitKeys = ["apiVersion", "kind", "name", "hosts", "source", "contents", "enable", "files"]

    /// The largest unit file read through `source:`, the same bound as for manifests.
    static let maximumUnitFileSize = 1_048_576

    /// Decodes a `kind: Unit` document; `source:` files are read from the tree.
    mutating func unit(_ root: Node) -> DecodedUnit? {
        guard let fields = fields(of: root, at: .root, allowed: Self.unitKeys) else { return nil }
        var name: Located<String>?
        if let node = required("name", in: fields, at: .root), let text = string(node, at: .root.key("name")) {
            if let problem = UnitNameRules.unitNameProblem(text) {
                error(at: node, .root.key("name"), problem.message)
            } else {
                name = Located(value: text, location: location(of: node), path: "name")
            }
        }
        let hosts = fields["hosts"].flatMap { hostSelector($0, at: .root.key("hosts")) }
        let enable = fields["enable"].map { bool($0, at: .root.key("enable")) } ?? true
        var contents: String?
        var sourcePath: String?
        switch (fields["source"], fields["contents"]) {
        case (let source?, nil):
            if let text = string(source, at: .root.key("source")),
                let resolved = repositoryPath(text, at: source, .root.key("source"), expecting: .regularFile)
            {
                contents = unitFile(at: resolved, node: source)
                sourcePath = resolved
            }
        case (nil, let inline?):
            contents = inlineContents(inline)
        case (.some, .some):
            error(at: root, .root, "set exactly one of source or contents, not both")
        case (nil, nil):
            error(at: root, .root, "required key 'source' or 'contents' is missing; a unit needs its file text")
        }
        let files = fields["files"].flatMap { configFiles($0, at: .root.key("files")) } ?? []
        guard let name else { return nil }
        var spec = UnitSpec(
            name: name.value, hosts: hosts, contents: contents ?? "", sourcePath: sourcePath, enable: enable ?? true,
            location: location(of: root))
        spec.files = files
        return DecodedUnit(spec: spec, name: name)
    }

    /// The text of a unit file in the repository, read through the tree.
    private mutating func unitFile(at path: String, node: Node) -> String? {
        let sourcePath = FieldPath.root.key("source")
        if case .file(let size)? = tree.entry(at: path), size > Self.maximumUnitFileSize {
            error(at: node, sourcePath, "'\(path)' is \(size) bytes; unit files may be at most 1 MiB")
            return nil
        }
        let bytes: [UInt8]
        do {
            bytes = try tree.contents(of: path)
        } catch {
            self.error(at: node, sourcePath, "cannot read '\(path)': \(error)")
            return nil
        }
        switch UTF8Validation.decode(bytes) {
        case .failure(let invalid):
            error(at: node, sourcePath, "'\(path)' is not valid UTF-8 (invalid byte at offset \(invalid.offset))")
            return nil
        case .success(let text):
            return unitText(text, at: node, sourcePath)
        }
    }

    private mutating func inlineContents(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, !ScalarText.isNull(scalar) else {
            error(at: node, .root.key("contents"), "expected the unit file's text as a string, found \(kind(node))")
            return nil
        }
        return unitText(scalar.string, at: node, .root.key("contents"))
    }

    /// Unit file text may hold line breaks and tabs, but no other control character.
    private mutating func unitText(_ text: String, at node: Node, _ path: FieldPath) -> String? {
        if text.allSatisfy(\.isWhitespace) {
            error(at: node, path, "the unit file is empty")
            return nil
        }
        let allowed: Set<Unicode.Scalar> = ["\n", "\r", "\t"]
        if let bad = text.unicodeScalars.first(where: { ScalarText.isControl($0) && !allowed.contains($0) }) {
            error(
                at: node, path,
                "the unit file contains a control character (\(ScalarText.codePoint(bad))); only tabs and line breaks"
                    + " are allowed")
            return nil
        }
        return text
    }
}
