public import Logging

/// The journal fields of one log event, built without any I/O so the mapping can be tested.
///
/// Metadata keys become upper-case fields with a `RECONCILER_` prefix: `commit` becomes
/// `RECONCILER_COMMIT`, `unit.name` becomes `RECONCILER_UNIT_NAME`. That makes
/// `journalctl -u reconciler RECONCILER_SERVICE=blog` work.
public struct JournalEntry: Sendable, Equatable {
    /// Field name and value pairs, in the order they are sent.
    public var fields: [(name: String, value: String)]

    public static func == (lhs: JournalEntry, rhs: JournalEntry) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public init(
        identifier: String,
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata,
        error: (any Error)? = nil,
        file: String? = nil,
        function: String? = nil,
        line: UInt? = nil
    ) {
        var text = message
        if let error { text += ": \(error)" }
        var fields: [(name: String, value: String)] = [
            ("MESSAGE", text),
            ("PRIORITY", String(Self.priority(level))),
            ("SYSLOG_IDENTIFIER", identifier),
        ]
        if let file { fields.append(("CODE_FILE", file)) }
        if let line { fields.append(("CODE_LINE", String(line))) }
        if let function { fields.append(("CODE_FUNC", function)) }
        if let error { fields.append(("RECONCILER_ERROR", String(describing: error))) }
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            fields.append((Self.fieldName(forMetadataKey: key), Self.flatten(value)))
        }
        self.fields = fields
    }

    /// The syslog priority journald expects for a swift-log level.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// `unit.name` -> `RECONCILER_UNIT_NAME`. Journal field names allow only A-Z, 0-9 and
    /// `_`, must not start with `_` or a digit and are at most 64 characters long.
    public static func fieldName(forMetadataKey key: String) -> String {
        var name = "RECONCILER_"
        for scalar in key.unicodeScalars {
            switch scalar {
            case "a"..."z": name.unicodeScalars.append(Unicode.Scalar(scalar.value - 32) ?? "_")
            case "A"..."Z", "0"..."9": name.unicodeScalars.append(scalar)
            default: name.append("_")
            }
        }
        return String(name.prefix(64))
    }

    static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(flatten).joined(separator: ",")
        case .dictionary(let values):
            values.keys.sorted().map { "\($0)=\(values[$0].map(flatten) ?? "")" }.joined(separator: ",")
        }
    }
}
