import Foundation
import Logging
import ReconcilerCore
import ReconcilerStore
import ReconcilerTesting
import Testing

@testable import ReconcilerCLI

/// The notifier against a real receiver (python3's http.server) and a real SQLite outbox:
/// each event arrives once, survives an outage of the receiver, and the URL's token stays
/// out of the store and the logs.
@Suite(.serialized)
struct WebhookNotifierTests {
    static let commit = "3333333333333333333333333333333333333333"

    static func outcome(_ result: RunOutcomeResult, release: Int64? = nil, message: String? = nil) -> RunOutcome {
        RunOutcome(
            trigger: "once", finishedAt: Date(timeIntervalSince1970: 1_796_000_000), commit: commit, result: result,
            actions: 2, release: release, message: message)
    }

    func notifier(_ receiver: WebhookReceiver, state: String, retries: Int = 3) -> (WebhookNotifier, LogCapture) {
        let capture = LogCapture()
        var logger = Logger(label: "test") { _ in capture }
        logger.logLevel = .debug
        let webhook = WebhookConfiguration(url: receiver.url, timeout: 2, retries: retries)
        return (
            WebhookNotifier(
                webhooks: [webhook], hostName: "web1", stateDirectory: state, logger: logger, background: false),
            capture
        )
    }

    func stateDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("deployed, rolled back, failed once in a row, and recovered each arrive once with their JSON fields")
    func eventsArriveOnce() throws {
        let receiver = try WebhookReceiver(port: 8172)
        try receiver.start()
        let state = try stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let (notifier, logs) = notifier(receiver, state: state)

        notifier.runFinished(Self.outcome(.converged, release: 1))
        notifier.runFinished(Self.outcome(.inSync))
        notifier.runFinished(Self.outcome(.rolledBack, release: 2, message: "health check failed"))
        notifier.runFinished(Self.outcome(.failed, message: "connection refused"))
        notifier.runFinished(Self.outcome(.failed, message: "connection refused"))
        notifier.runFinished(Self.outcome(.converged))

        let received = receiver.received
        #expect(received.map { $0["event"] } == ["deployed", "rolled-back", "recovered"])
        let deployed = try #require(received.first)
        #expect(deployed["host"] == "web1")
        #expect(deployed["commit"] == Self.commit)
        #expect(deployed["time"] == "2026-11-30T00:53:20Z")
        #expect(deployed["text"] == "[web1] deployed 333333333333")
        #expect(received[1]["text"] == "[web1] rolled back 333333333333: health check failed")
        #expect(Set(received.compactMap { $0["id"] }).count == 3, "each event has its own id")
        try expectNoToken(state: state, logs: logs, receiver: receiver)
    }

    @Test("an event raised while the receiver is down is kept, and delivered once after it is back")
    func outage() throws {
        let receiver = try WebhookReceiver(port: 8173)
        let state = try stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let (notifier, logs) = notifier(receiver, state: state)

        notifier.runFinished(Self.outcome(.rolledBack, release: 2, message: "health check failed"))
        #expect(receiver.received.isEmpty)
        let store = try StateStore(stateDirectory: state)
        let pending = try #require(try store.nextNotificationAttempt())
        #expect(pending > Date(), "the retry waits out its backoff")
        #expect(logs.text.contains("not delivered"))

        try receiver.start()
        // Not due yet: nothing is sent before the backoff.
        notifier.deliverDue(store)
        #expect(receiver.received.isEmpty)
        Thread.sleep(forTimeInterval: max(0, pending.timeIntervalSinceNow) + 0.2)
        notifier.deliverDue(store)
        notifier.deliverDue(store)

        #expect(receiver.received.map { $0["event"] } == ["rolled-back"])
        #expect(try store.nextNotificationAttempt() == nil)
        try expectNoToken(state: state, logs: logs, receiver: receiver)
    }

    @Test(
        "retries wait 2 s, 4 s, 8 s … and never more than a minute, as the README says",
        arguments: [(1, 2.0), (2, 4.0), (3, 8.0), (5, 32.0), (6, 60.0), (60, 60.0)] as [(Int, Double)])
    func backoff(attempts: Int, seconds: Double) {
        #expect(WebhookNotifier.backoff(attempts: attempts) == seconds)
    }

    @Test func theDefaultRetriesKeepAnEventForAboutAnHour() {
        let total = (1...WebhookConfiguration(url: "https://hooks.example/x").retries).map {
            WebhookNotifier.backoff(attempts: $0)
        }.reduce(0, +)
        #expect(total > 50 * 60 && total < 70 * 60, "\(total) s")
    }

    @Test("an event is given up after its retries, and a receiver's error status counts as a failure")
    func givenUp() throws {
        let receiver = try WebhookReceiver(port: 8174)
        try receiver.start(status: 500)
        let state = try stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let (notifier, logs) = notifier(receiver, state: state, retries: 0)

        notifier.runFinished(Self.outcome(.converged, release: 1))

        #expect(receiver.received.count == 1)
        #expect(logs.text.contains("given up after 1 attempts"))
        #expect(logs.text.contains("answered HTTP 500"))
        #expect(try StateStore(stateDirectory: state).nextNotificationAttempt() == nil)
    }

    @Test("a receiver that never answers costs one timeout per attempt, and the event waits for a retry")
    func timeout() throws {
        let receiver = try WebhookReceiver(port: 8176)
        try receiver.start(status: 0)
        let state = try stateDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let (notifier, logs) = notifier(receiver, state: state)

        let started = Date()
        notifier.runFinished(Self.outcome(.rolledBack, release: 2))
        let seconds = Date().timeIntervalSince(started)

        #expect(seconds >= 1.5 && seconds < 6, "took \(seconds) s with a 2 s timeout")
        #expect(logs.text.contains("not delivered"), "\(logs.text)")
        #expect(try StateStore(stateDirectory: state).nextNotificationAttempt() != nil)
        try expectNoToken(state: state, logs: logs, receiver: receiver)
    }

    /// The URL's token is in no log line, no store file and no body.
    func expectNoToken(state: String, logs: LogCapture, receiver: WebhookReceiver) throws {
        #expect(!logs.text.contains("T0KEN-SECRET"))
        for file in try FileManager.default.contentsOfDirectory(atPath: state) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: state + "/" + file))
            #expect(bytes.range(of: Data("T0KEN-SECRET".utf8)) == nil, "\(file) holds the token")
        }
        #expect(!receiver.received.contains { $0.values.contains { $0.contains("T0KEN") } })
    }
}

/// Every log line, as text.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { lines.append("\(event.level) \(event.message) \(event.metadata ?? [:])") }
    }

    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
