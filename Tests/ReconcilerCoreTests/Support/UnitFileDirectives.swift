/// Reads a unit file as systemd's parser would, and more suspiciously: which sections and keys
/// it really defines once line breaks and line continuations are taken into account.
///
/// A line ends at `\n`, `\r` or NUL (systemd's read_line), and any line, a comment included,
/// that ends in an odd number of backslashes (trailing blanks ignored) is joined with the next
/// one. So a value that smuggles a line break or a trailing backslash shows up as extra or
/// missing directives.
enum UnitFileDirectives {
    /// `Section/Key` for every directive, in file order.
    static func keys(_ contents: String) -> [String] {
        var result: [String] = []
        var section = ""
        var pending: String?
        // By scalars: "\r\n" is a single Character in Swift.
        let physical = contents.unicodeScalars.split(omittingEmptySubsequences: false) {
            $0 == "\n" || $0 == "\r" || $0 == "\0"
        }
        for raw in physical.map({ String(String.UnicodeScalarView($0)) }) {
            let trimmed = String(raw.drop(while: { $0 == " " || $0 == "\t" }))
            if pending != nil, trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let line = (pending.map { $0 + " " } ?? "") + raw
            if endsInContinuation(line) {
                pending = String(line.dropLast(trailingBlanks(line) + 1))
                continue
            }
            pending = nil
            let logical = line.strippingBlanks()
            if logical.isEmpty || logical.hasPrefix("#") || logical.hasPrefix(";") { continue }
            if logical.hasPrefix("[") {
                section = logical
                result.append(section)
            } else {
                let key = String(logical.prefix { $0 != "=" }).strippingBlanks()
                result.append("\(section)\(key)")
            }
        }
        if let pending { result.append("unterminated continuation: \(pending)") }
        return result
    }

    private static func trailingBlanks(_ line: String) -> Int {
        line.reversed().prefix(while: { $0 == " " || $0 == "\t" }).count
    }

    private static func endsInContinuation(_ line: String) -> Bool {
        let backslashes = line.reversed().drop(while: { $0 == " " || $0 == "\t" }).prefix(while: { $0 == "\\" }).count
        return backslashes % 2 == 1
    }
}

extension String {
    fileprivate func strippingBlanks() -> String {
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        return String(drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }
}
