import Foundation

/// Stable JSON for `--output json`: sorted keys, so scripts and diffs see the same bytes.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Foundation's default is seconds since 2001, which no script expects; ISO 8601 in
        // UTC reads the same in every language and time zone.
        encoder.dateEncodingStrategy = .iso8601
        return escapingInvisibleControls(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// JSONEncoder escapes C0 controls but writes C1 controls and bidi overrides raw, which a
    /// terminal showing the JSON would obey. Escaped as `\uNNNN` they decode to the same
    /// string, so the JSON stays faithful; such characters can only occur inside strings.
    static func escapingInvisibleControls(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { TerminalSafeText.needsEscape($0, multiline: true) }) else {
            return json
        }
        var result = ""
        for scalar in json.unicodeScalars {
            if scalar != "\n" && scalar != "\t" && TerminalSafeText.needsEscape(scalar, multiline: true) {
                let digits = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
