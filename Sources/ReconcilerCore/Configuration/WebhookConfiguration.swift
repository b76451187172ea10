/// What a webhook is told about.
public enum NotificationEvent: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// A new release is healthy.
    case deployed
    /// A run failed or a commit was refused, and nothing was rolled back.
    case failed
    /// A release failed after it changed the host and was rolled back.
    case rolledBack = "rolled-back"
    /// The first successful run after a failed, refused, rolled-back or degraded one.
    case recovered
}

/// One `notifications.webhooks` entry. The URL may carry a secret token: it is shown only
/// redacted (`redactedURL`), never in logs, errors, status or the store.
public struct WebhookConfiguration: Sendable, Equatable {
    public var url: String
    /// Events sent; all of them when the config lists none.
    public var events: Set<NotificationEvent>
    /// Seconds one delivery attempt may take.
    public var timeout: Double
    /// Attempts after the first before the event is given up.
    public var retries: Int

    public init(
        url: String, events: Set<NotificationEvent> = Set(NotificationEvent.allCases), timeout: Double = 5,
        retries: Int = 60
    ) {
        self.url = url
        self.events = events
        self.timeout = timeout
        self.retries = retries
    }

    /// scheme://host/… : enough to tell webhooks apart, nothing that could be a token.
    public var redactedURL: String { Self.redact(url) }

    public static func redact(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return "(webhook)" }
        let scheme = url[..<schemeEnd.lowerBound]
        var authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        // user:password@ is a secret too.
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return "\(scheme)://\(authority)/…"
    }
}
