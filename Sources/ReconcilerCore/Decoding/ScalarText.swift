internal import Yams

/// How the schema reads YAML scalars.
///
/// YAML 1.1 resolves plain scalars such as `on`, `yes` and `1.10` to booleans and numbers, which
/// silently changes what people wrote (`1.10` would become `1.1`). The schema never asks Yams
/// to resolve: a string field takes the scalar's text exactly as written, and the few typed
/// fields (booleans, ports, durations) parse that text with their own strict rules.
enum ScalarText {
    /// The plain scalars YAML reads as null: `~`, `null` and nothing at all. Quoted ones are strings.
    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The first character that must not reach a unit file, if any.
    ///
    /// Every C0 control character (tab included), DEL and the C1 range are refused: a line feed or
    /// carriage return would start a new directive in the unit file, and the others have no
    /// legitimate use in names, paths, arguments or environment values.
    static func firstControlCharacter(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: isControl)
    }

    /// C0, DEL and C1.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `U+000A`, as messages name a character.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// What a node is, for "expected X, found Y" messages.
    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar):
            if isNull(scalar) {
                "no value (null)"
            } else if scalar.style == .plain {
                "'\(scalar.string)'"
            } else {
                "the string '\(scalar.string)'"
            }
        }
    }
}
