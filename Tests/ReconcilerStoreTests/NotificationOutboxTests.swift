import Foundation
import ReconcilerCore
import Testing

@testable import ReconcilerStore

/// The webhook outbox in real SQLite: an event waits there until delivered or given up,
/// across reopening the store (an agent restart), and never holds the URL.
struct NotificationOutboxTests {
    @Test("a queued event survives a reopen, waits out its backoff, and is gone once delivered")
    func lifecycle() throws {
        let directory = try TemporaryDirectory()
        let key = StateStore.webhookKey("https://hooks.example.org/T0KEN")
        do {
            let store = try StateStore(stateDirectory: directory.stateDirectory)
            try store.enqueueNotification(eventID: "e1", event: "deployed", body: Array("{}".utf8), webhooks: [key])
            // The same event for the same webhook is queued once.
            try store.enqueueNotification(eventID: "e1", event: "deployed", body: Array("{}".utf8), webhooks: [key])
        }
        let store = try StateStore(stateDirectory: directory.stateDirectory)
        let due = try store.dueNotifications(by: Date().addingTimeInterval(1))
        #expect(due.map(\.eventID) == ["e1"])
        #expect(due.first?.webhook == key && due.first?.body == Array("{}".utf8))

        let later = Date().addingTimeInterval(60)
        try store.markNotificationFailed(try #require(due.first).id, error: "HTTP 503", next: later)
        #expect(try store.dueNotifications(by: Date().addingTimeInterval(1)).isEmpty)
        let retry = try store.dueNotifications(by: later.addingTimeInterval(1))
        #expect(retry.map(\.attempts) == [1])
        #expect(try store.nextNotificationAttempt() != nil)

        try store.markNotificationDelivered(try #require(retry.first).id)
        #expect(try store.dueNotifications(by: later.addingTimeInterval(1)).isEmpty)
        #expect(try store.nextNotificationAttempt() == nil)
        #expect(try store.deliveredNotifications() == ["e1"])
        let file = try Data(contentsOf: URL(fileURLWithPath: directory.stateDirectory + "/state.sqlite"))
        #expect(file.range(of: Data("T0KEN".utf8)) == nil)
    }

    @Test("of two stores that find the same event due, only one may post it until its lease ends")
    func claims() throws {
        let directory = try TemporaryDirectory()
        let key = StateStore.webhookKey("https://hooks.example.org/hook")
        let agent = try StateStore(stateDirectory: directory.stateDirectory)
        let once = try StateStore(stateDirectory: directory.stateDirectory)
        try agent.enqueueNotification(eventID: "e1", event: "failed", body: Array("{}".utf8), webhooks: [key])
        let due = try #require(try once.dueNotifications(by: Date().addingTimeInterval(1)).first)
        #expect(try agent.dueNotifications(by: Date().addingTimeInterval(1)).map(\.id) == [due.id])

        #expect(try agent.claimNotification(due.id, until: Date().addingTimeInterval(35)))
        #expect(try !once.claimNotification(due.id, until: Date().addingTimeInterval(35)))
        #expect(try once.dueNotifications(by: Date().addingTimeInterval(1)).isEmpty)
        // A lease that ran out (the claimer died mid-post) makes the event due again.
        #expect(try once.dueNotifications(by: Date().addingTimeInterval(40)).map(\.id) == [due.id])
    }

    @Test("a given-up event is never due again; the trouble flag is kept")
    func givenUpAndState() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(stateDirectory: directory.stateDirectory)
        try store.enqueueNotification(eventID: "e2", event: "failed", body: [], webhooks: ["a", "b"])
        let due = try store.dueNotifications(by: Date().addingTimeInterval(1))
        #expect(due.count == 2, "one row per webhook")
        for item in due { try store.markNotificationFailed(item.id, error: "gone", next: nil) }
        #expect(try store.nextNotificationAttempt() == nil)

        #expect(try store.notificationState("troubled") == nil)
        try store.setNotificationState("troubled", "1")
        try store.setNotificationState("troubled", "0")
        #expect(try store.notificationState("troubled") == "0")
    }
}
