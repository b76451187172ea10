import Foundation
import Logging
import ReconcilerCore
import ReconcilerStore
import Synchronization

/// Turns run outcomes into webhook events, keeps them in the store's outbox, and delivers
/// them with retries and backoff. A notification never holds a run back: the agent
/// delivers on a background queue; `once` tries each due event one time after its run and
/// leaves the rest for the next run or the agent. An event is marked delivered only after a
/// 2xx answer, and given up after the webhook's retries or a day.
final class WebhookNotifier: RunOutcomeReporting, Sendable {
    let webhooks: [WebhookConfiguration]
    let hostName: String
    let stateDirectory: String
    let logger: Logger
    /// Deliver on a background queue and retry on a timer (the agent), or in the caller (`once`).
    let background: Bool
    /// No event is retried after this many seconds.
    static let maximumAge: Double = 86400
    private let queue = DispatchQueue(label: "reconciler.webhooks")
    private let retryScheduled = Mutex(false)

    /// Opens the store the outbox lives in: the process's shared one (the agent's, opened
    /// once), or a fresh one per run.
    let openStore: @Sendable () throws -> StateStore

    init(
        webhooks: [WebhookConfiguration], hostName: String, stateDirectory: String, logger: Logger, background: Bool,
        openStore: (@Sendable () throws -> StateStore)? = nil
    ) {
        self.webhooks = webhooks
        self.hostName = hostName
        self.stateDirectory = stateDirectory
        self.logger = logger
        self.background = background
        self.openStore = openStore ?? { try StateStore(stateDirectory: stateDirectory) }
    }

    func runFinished(_ outcome: RunOutcome) {
        let store: StateStore
        do {
            store = try openStore()
            try enqueue(outcome, store: store)
        } catch {
            logger.warning("cannot queue the run's notifications: \(error)")
            return
        }
        if background {
            queue.async { self.deliverDue(store) }
        } else {
            deliverDue(store)
        }
    }

    /// Adds the events the outcome raises to the outbox, one per webhook that wants it.
    func enqueue(_ outcome: RunOutcome, store: StateStore) throws {
        let wasTroubled = try store.notificationState("troubled") == "1"
        let events = NotificationPolicy.events(for: outcome, wasTroubled: wasTroubled)
        if let troubled = NotificationPolicy.troubled(after: outcome.result), troubled != wasTroubled {
            try store.setNotificationState("troubled", troubled ? "1" : "0")
        }
        for event in events {
            let targets = webhooks.filter { $0.events.contains(event) }.map { StateStore.webhookKey($0.url) }
            guard !targets.isEmpty else { continue }
            let payload = WebhookEvent(
                id: UUID().uuidString.lowercased(), event: event, host: hostName, commit: outcome.commit,
                result: outcome.result, message: outcome.message, time: outcome.finishedAt)
            try store.enqueueNotification(
                eventID: payload.id, event: event.rawValue, body: payload.body(), webhooks: targets)
            logger.info(
                "notification \(event.rawValue) queued for \(targets.count) webhooks",
                metadata: [
                    "event": "\(event.rawValue)", "event_id": "\(payload.id)", "commit": "\(outcome.commit ?? "")",
                ])
        }
    }

    /// One attempt at every due event; in the background, a retry is scheduled for the rest.
    func deliverDue(_ store: StateStore) {
        do {
            for item in try store.dueNotifications(by: Date()) {
                try deliver(item, store: store)
            }
        } catch {
            logger.warning("cannot read or update the notification outbox: \(error)")
        }
        guard background, let next = try? store.nextNotificationAttempt() else { return }
        let alreadyScheduled = retryScheduled.withLock { scheduled in
            defer { scheduled = true }
            return scheduled
        }
        guard !alreadyScheduled else { return }
        let delay = max(0.5, next.timeIntervalSinceNow)
        queue.asyncAfter(deadline: .now() + delay) {
            self.retryScheduled.withLock { $0 = false }
            self.deliverDue(store)
        }
    }

    private func deliver(_ item: PendingNotification, store: StateStore) throws {
        var metadata: Logger.Metadata = ["event": "\(item.event)", "event_id": "\(item.eventID)"]
        guard let webhook = webhooks.first(where: { StateStore.webhookKey($0.url) == item.webhook }) else {
            try store.markNotificationFailed(item.id, error: "the webhook is no longer configured", next: nil)
            logger.warning("notification dropped: its webhook is no longer configured", metadata: metadata)
            return
        }
        metadata["webhook"] = "\(webhook.redactedURL)"
        // Another process may be posting this very event; a lease longer than one attempt.
        guard try store.claimNotification(item.id, until: Date().addingTimeInterval(webhook.timeout + 30)) else {
            return
        }
        switch WebhookDelivery.post(item.body, to: webhook) {
        case .delivered(let status):
            try store.markNotificationDelivered(item.id)
            logger.info("notification \(item.event) delivered (HTTP \(status))", metadata: metadata)
        case .failed(let message):
            let attempts = item.attempts + 1
            metadata["attempts"] = "\(attempts)"
            if attempts > webhook.retries || Date().timeIntervalSince(item.createdAt) > Self.maximumAge {
                try store.markNotificationFailed(item.id, error: message, next: nil)
                logger.error(
                    "notification \(item.event) given up after \(attempts) attempts: \(message)", metadata: metadata)
            } else {
                let delay = Self.backoff(attempts: attempts)
                try store.markNotificationFailed(item.id, error: message, next: Date().addingTimeInterval(delay))
                logger.warning(
                    "notification \(item.event) not delivered: \(message); retrying in \(Int(delay)) s",
                    metadata: metadata)
            }
        }
    }

    /// 2 s, 4 s, 8 s … at most a minute: a receiver back from a short outage gets the event
    /// within a minute, and the default 60 retries keep trying for about an hour.
    static func backoff(attempts: Int) -> Double {
        min(60, 2 * pow(2, Double(min(max(attempts - 1, 0), 16))))
    }
}
