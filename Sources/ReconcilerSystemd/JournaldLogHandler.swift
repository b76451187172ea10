internal import CSystemd
internal import Glibc
public import Logging

/// A swift-log handler that writes structured entries to the systemd journal with
/// `sd_journal_sendv`. Every metadata key becomes a `RECONCILER_*` field (see `JournalEntry`).
///
/// It never throws: if the journal refuses an entry, the entry goes to stderr instead.
public struct JournaldLogHandler: LogHandler {
    /// The `SYSLOG_IDENTIFIER=` of every entry, so `journalctl -t reconciler` finds them.
    public let identifier: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(identifier: String = "reconciler", metadataProvider: Logger.MetadataProvider? = nil) {
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let entry = JournalEntry(
            identifier: identifier,
            level: event.level,
            message: event.message.description,
            metadata: merged,
            error: event.error,
            file: event.file,
            function: event.function,
            line: event.line
        )
        let code = Self.send(entry)
        if code < 0 {
            let line =
                "\(identifier): journal write failed (\(String(cString: strerror(-code)))): \(entry.fields[0].value)\n"
            _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        }
    }

    /// Sends the entry; returns sd_journal_sendv's result (negative errno on failure).
    @discardableResult
    public static func send(_ entry: JournalEntry) -> Int32 {
        // All fields as "NAME=value" in one buffer; values may hold newlines, sendv is binary-safe.
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in entry.fields {
            let start = bytes.count
            bytes.append(contentsOf: "\(field.name)=\(field.value)".utf8)
            ranges.append(start..<bytes.count)
        }
        return bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return -EINVAL }
            let vectors = ranges.map { range in
                iovec(iov_base: UnsafeMutableRawPointer(mutating: base + range.lowerBound), iov_len: range.count)
            }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }
}
