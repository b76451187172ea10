/// One commit of the desired-state repository, as the reconciler reports it.
public struct Revision: Sendable, Hashable, Codable {
    /// The full hexadecimal commit id.
    public var id: String
    /// The author's name.
    public var authorName: String
    /// The author's e-mail address.
    public var authorEmail: String
    /// Seconds since 1970-01-01 UTC at which the commit was authored.
    public var authoredAt: Int64
    /// The author's offset from UTC in minutes, as recorded in the commit.
    public var authorUTCOffsetMinutes: Int
    /// The full commit message.
    public var message: String

    public init(
        id: String,
        authorName: String,
        authorEmail: String,
        authoredAt: Int64,
        authorUTCOffsetMinutes: Int,
        message: String
    ) {
        self.id = id
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.authoredAt = authoredAt
        self.authorUTCOffsetMinutes = authorUTCOffsetMinutes
        self.message = message
    }

    /// The first line of the message, as `git log --oneline` shows it.
    public var summary: String {
        String(message.prefix { $0 != "\n" })
    }

    /// The abbreviated id people read in logs and status output.
    public var shortID: String { String(id.prefix(12)) }
}
