import Foundation

/// Stable JSON for `--output json`: sorted keys, so scripts and diffs see the same bytes.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Foundation's default is seconds since 2001, which no script expects; ISO 8601 in
        // UTC reads the same in every language and time zone.
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
