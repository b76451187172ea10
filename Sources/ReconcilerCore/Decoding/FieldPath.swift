/// The path of a value inside a document, as diagnostics show it: `image.build.context`, `ports[1]`, `env.FOO`.
struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The rendered path; empty for the document itself.
    private(set) var text: String

    /// The document itself.
    static let root = FieldPath(text: "")

    private init(text: String) {
        self.text = text
    }

    /// The value under `key` of the mapping at this path.
    func key(_ key: String) -> FieldPath {
        FieldPath(text: text.isEmpty ? key : "\(text).\(key)")
    }

    /// The item at `index` of the list at this path.
    func index(_ index: Int) -> FieldPath {
        FieldPath(text: "\(text)[\(index)]")
    }

    var description: String { text }
}
