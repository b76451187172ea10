public import FoundationEssentials

/// One notification, as posted to a webhook: a Slack-compatible `text` plus structured
/// fields. `id` is unique per event, so a receiver can drop a retried duplicate.
public struct WebhookEvent: Sendable, Equatable, Codable {
    public var id: String
    public var event: NotificationEvent
    public var host: String
    public var commit: String?
    public var result: RunOutcomeResult
    public var message: String?
    /// ISO 8601, UTC.
    public var time: String
    /// One line for chat: host, event, short commit and why.
    public var text: String

    public init(
        id: String, event: NotificationEvent, host: String, commit: String?, result: RunOutcomeResult,
        message: String?, time: Date
    ) {
        self.id = id
        self.event = event
        self.host = host
        self.commit = commit
        self.result = result
        self.message = message
        self.time = time.formatted(.iso8601)
        let short = commit.map { " \($0.prefix(12))" } ?? ""
        let title: String =
            switch event {
            case .deployed: "deployed\(short)"
            case .failed: "sync failed\(short.isEmpty ? "" : " at\(short)")"
            case .rolledBack: "rolled back\(short)"
            case .recovered: "recovered at\(short.isEmpty ? " the last commit" : short)"
            }
        text = "[\(host)] \(title)" + (message.map { ": \($0)" } ?? "")
    }

    /// The JSON body, keys sorted so a body is the same bytes every time it is retried.
    public func body() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? []
    }
}

/// Which events a run's outcome raises, given whether the host was in trouble before it.
public enum NotificationPolicy {
    /// Whether the host is in trouble after `result`: nil when the result says nothing new
    /// (held back, suspended: the previous state stands).
    public static func troubled(after result: RunOutcomeResult) -> Bool? {
        switch result {
        case .failed, .refused, .rolledBack, .degraded: true
        case .converged, .inSync: false
        case .heldBack, .suspended: nil
        }
    }

    /// - Parameter wasTroubled: whether the runs before this one left the host failed,
    ///   refused, rolled back or degraded.
    /// - Returns: `deployed` for a new healthy release; `failed` for the first failure in a
    ///   row (an agent retrying with backoff does not repeat it); `rolled-back` for every
    ///   rollback; `recovered` for the first converged or in-sync run after trouble.
    public static func events(for outcome: RunOutcome, wasTroubled: Bool) -> [NotificationEvent] {
        var events: [NotificationEvent] = []
        switch outcome.result {
        case .converged, .inSync:
            if outcome.result == .converged && outcome.release != nil { events.append(.deployed) }
            if wasTroubled { events.append(.recovered) }
        case .failed, .refused:
            if !wasTroubled { events.append(.failed) }
        case .rolledBack:
            events.append(.rolledBack)
        case .degraded, .heldBack, .suspended:
            break
        }
        return events
    }
}
