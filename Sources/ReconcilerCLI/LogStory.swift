import Logging

/// Makes each log line tell its part of the story on its own, so plain `journalctl -u
/// reconciler` (which shows only the message) says which commit and why, without
/// `-o verbose`: `a1b2c3d4e5f6: restart blog.service (unit file changed)`.
///
/// The metadata stays as it is: the journal keeps it as structured fields.
enum LogStory {
    /// How many characters of a commit id a line shows, as `git log --oneline` does on big repositories.
    static let shortCommit = 12

    /// The message with the short commit in front and the action's reason behind, each added
    /// only when the message does not say it already. An error is not repeated: the run's
    /// "run failed: …" line that follows a failed step quotes it in full.
    static func line(_ message: String, metadata: Logger.Metadata) -> String {
        // A reason may name another commit ("differs from commit ..."): only the message's own
        // words decide whether the commit is already said.
        let says = { (commit: String) in message.contains(commit) }
        var text = message
        if let reason = value("reason", in: metadata), !reason.isEmpty, !text.contains(reason) {
            text += " (\(reason))"
        }
        if let commit = value("commit", in: metadata), !commit.isEmpty {
            let short = String(commit.prefix(shortCommit))
            if !says(short) { text = "\(short): \(text)" }
        }
        return text
    }

    private static func value(_ key: String, in metadata: Logger.Metadata) -> String? {
        guard let value = metadata[key] else { return nil }
        if case .string(let text) = value { return text }
        return value.description
    }
}

/// A log handler that rewrites each message with `LogStory` and hands it to another handler.
struct StoryLogHandler: LogHandler {
    var inner: any LogHandler

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = inner.metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var event = event
        event.message = Logger.Message(stringLiteral: LogStory.line(event.message.description, metadata: merged))
        inner.log(event: event)
    }
}
