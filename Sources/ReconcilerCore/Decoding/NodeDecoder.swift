internal import Yams

/// Reads schema values straight from composed YAML nodes, collecting every problem it meets.
///
/// `Decodable` would drop unknown keys and lose positions, so each reader here checks the node's
/// shape itself and records a diagnostic at the node's line and column with its field path. A
/// reader that fails returns nil and the caller carries on, so one pass finds every problem.
struct NodeDecoder {
    /// The file being decoded, relative to the repository root.
    let file: String
    /// The repository, for paths that manifests point at.
    let tree: any RepositoryTree
    /// Everything found so far.
    var diagnostics: [Diagnostic] = []

    init(file: String, tree: any RepositoryTree) {
        self.file = file
        self.tree = tree
    }

    /// The mapping entries of a document or nested object, by key.
    struct Fields {
        var node: Node
        var entries: [String: (key: Node, value: Node)]

        subscript(key: String) -> Node? { entries[key]?.value }
    }

    func location(of node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func error(at node: Node, _ path: FieldPath, _ message: String) {
        diagnostics.append(Diagnostic(at: location(of: node), path: path.text, message))
    }

    /// Reads a mapping whose keys must all be in `allowed`; unknown keys are reported with a suggestion.
    mutating func fields(of node: Node, at path: FieldPath, allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(
                at: node, path, "expected a mapping with keys \(allowed.joined(separator: ", ")), found \(kind(node))")
            return nil
        }
        var fields = Fields(node: node, entries: [:])
        for (key, value) in mapping {
            guard let name = keyName(key, at: path) else { continue }
            guard allowed.contains(name) else {
                error(
                    at: key, path.key(name),
                    "unknown key '\(name)'"
                        + (KeySuggestion.closest(to: name, among: allowed).map { "; did you mean '\($0)'?" }
                            ?? "; expected one of \(allowed.joined(separator: ", "))"))
                continue
            }
            fields.entries[name] = (key, value)
        }
        return fields
    }

    /// The value of a key the document must have, or a diagnostic at `fields`' own position.
    mutating func required(_ key: String, in fields: Fields, at path: FieldPath, hint: String = "") -> Node? {
        if let value = fields[key] { return value }
        error(at: fields.node, path.key(key), "required key '\(key)' is missing\(hint)")
        return nil
    }

    /// A scalar's text exactly as written; null, collections and control characters are refused.
    mutating func string(_ node: Node, at path: FieldPath, expected: String = "a string") -> String? {
        guard case .scalar(let scalar) = node, !ScalarText.isNull(scalar) else {
            error(at: node, path, "expected \(expected), found \(kind(node))")
            return nil
        }
        return checkedText(scalar.string, at: node, path)
    }

    /// Refuses text with a control character, which could inject lines into a unit file.
    mutating func checkedText(_ text: String, at node: Node, _ path: FieldPath) -> String? {
        guard let control = ScalarText.firstControlCharacter(in: text) else { return text }
        let code = ScalarText.codePoint(control)
        let effect =
            control == "\n" || control == "\r"
            ? "that would inject lines into the unit file"
            : "that is not allowed in values written to unit files"
        error(at: node, path, "contains a control character (\(code)) \(effect)")
        return nil
    }

    /// A list of strings; items that fail are reported and left out.
    mutating func strings(_ node: Node, at path: FieldPath) -> [Located<String>]? {
        guard case .sequence(let sequence) = node else {
            error(at: node, path, "expected a list of strings, found \(kind(node))")
            return nil
        }
        var result: [Located<String>] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = path.index(index)
            if let text = string(item, at: itemPath) {
                result.append(Located(value: text, location: location(of: item), path: itemPath.text))
            }
        }
        return result
    }

    /// A mapping of strings to strings; `keyProblem` vets each key.
    mutating func stringMap(
        _ node: Node, at path: FieldPath, keyProblem: (String) -> ValueProblem? = { _ in nil }
    ) -> [String: String]? {
        guard case .mapping(let mapping) = node else {
            error(at: node, path, "expected a mapping of names to strings, found \(kind(node))")
            return nil
        }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = keyName(key, at: path) else { continue }
            if let problem = keyProblem(name) {
                error(at: key, path.key(name), problem.message)
                continue
            }
            result[name] = string(value, at: path.key(name))
        }
        return result
    }

    /// `true` or `false` only: YAML 1.1 also reads yes/no/on/off as booleans, YAML 1.2 does not.
    mutating func bool(_ node: Node, at path: FieldPath) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            if scalar.string == "true" { return true }
            if scalar.string == "false" { return false }
            let ambiguous = ["yes", "no", "on", "off", "y", "n", "true", "false"]
            if ambiguous.contains(scalar.string.lowercased()) {
                error(
                    at: node, path,
                    "'\(scalar.string)' is not a boolean here (YAML versions disagree on it); write true or false")
                return nil
            }
        }
        error(at: node, path, "expected true or false, found \(kind(node))")
        return nil
    }

    /// A key's text: keys are plain strings.
    private mutating func keyName(_ key: Node, at path: FieldPath) -> String? {
        guard case .scalar(let scalar) = key else {
            error(at: key, path, "keys must be strings, found \(kind(key)) as a key")
            return nil
        }
        return checkedText(scalar.string, at: key, path.key(scalar.string))
    }

    func kind(_ node: Node) -> String { ScalarText.kind(of: node) }
}
