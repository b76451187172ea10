import Logging
import Synchronization
import Testing

@testable import ReconcilerCLI

/// Journal lines that tell the story with `journalctl -u reconciler` alone: the short commit
/// in front, an action's reason and an error behind.
struct LogStoryTests {
    static let commit = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"

    @Test(
        arguments: [
            (
                "restart blog.service", ["commit": "\(commit)", "reason": "unit file changed"],
                "a1b2c3d4e5f6: restart blog.service (unit file changed)"
            ),
            ("converged", ["commit": "\(commit)", "actions": "3"], "a1b2c3d4e5f6: converged"),
            ("fetched a1b2c3d4e5f6", ["commit": "\(commit)"], "fetched a1b2c3d4e5f6"),
            (
                "start web.service failed", ["commit": "\(commit)", "reason": "unit is inactive", "error": "exit 125"],
                "a1b2c3d4e5f6: start web.service failed (unit is inactive)"
            ),
            (
                "run failed: exit 125", ["commit": "\(commit)", "error": "exit 125"],
                "a1b2c3d4e5f6: run failed: exit 125"
            ),
            ("agent started", [:], "agent started"),
            (
                "write-unit api.service",
                ["commit": "\(commit)", "reason": "the unit file differs from commit a1b2c3d4e5f6"],
                "a1b2c3d4e5f6: write-unit api.service (the unit file differs from commit a1b2c3d4e5f6)"
            ),
        ] as [(String, Logger.Metadata, String)])
    func aLineCarriesItsCommitReasonAndError(message: String, metadata: Logger.Metadata, expected: String) {
        #expect(LogStory.line(message, metadata: metadata) == expected)
    }

    @Test func theHandlerRewritesTheMessageAndKeepsTheMetadata() {
        let recorder = RecordingHandler()
        var logger = Logger(label: "test") { _ in StoryLogHandler(inner: recorder) }
        logger[metadataKey: "commit"] = "\(Self.commit)"
        logger.info("stop old.service", metadata: ["reason": "removed from the desired state"])

        let event = recorder.events.withLock { $0.first }
        #expect(event?.message == "a1b2c3d4e5f6: stop old.service (removed from the desired state)")
        #expect(event?.metadata?["reason"] == "removed from the desired state")
    }
}

/// Keeps what reaches it, for the handler test.
struct RecordingHandler: LogHandler {
    struct Event: Sendable {
        var message: String
        var metadata: Logger.Metadata?
    }

    let events = LockedEvents()
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        events.withLock { $0.append(Event(message: event.message.description, metadata: event.metadata)) }
    }
}

final class LockedEvents: Sendable {
    private let events = Mutex<[RecordingHandler.Event]>([])

    func withLock<T>(_ body: (inout [RecordingHandler.Event]) -> T) -> T {
        events.withLock { body(&$0) }
    }
}
