internal import Yams

/// Depth-first traversal of a composed YAML tree with the field path of every node.
enum NodeWalk {
    /// Calls `body` for `node` and every node below it, keys included, in document order.
    ///
    /// A key is reported with the path of the value it names; `isKey` tells the two apart.
    static func visit(
        _ node: Node, at path: FieldPath = .root, isKey: Bool = false,
        _ body: (_ node: Node, _ path: FieldPath, _ isKey: Bool) -> Void
    ) {
        body(node, path, isKey)
        switch node {
        case .scalar, .alias:
            break
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                visit(item, at: path.index(index), body)
            }
        case .mapping(let mapping):
            for (key, value) in mapping {
                let child = path.key(key.scalar?.string ?? "?")
                visit(key, at: child, isKey: true, body)
                visit(value, at: child, body)
            }
        }
    }
}

extension Mark {
    /// The same position as a diagnostic location in `file`.
    func location(in file: String) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }
}
