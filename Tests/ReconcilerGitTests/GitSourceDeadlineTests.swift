import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// `repository.timeout` is an idle deadline: a server that keeps sending, however slowly,
/// is waited for; one that stops sending fails after the timeout, saying so.
struct GitSourceDeadlineTests {
    /// About 120 KB of hex digits: some 60 KB once git compresses it, 12 s or more at 5 KB/s.
    static func commitLargeFile(in fixture: SourceFixture) throws {
        let bytes = (0..<60_000).map { _ in UInt8.random(in: 0...255) }
        try fixture.commitAndPublish(bytes.map { String(format: "%02x", $0) }.joined(), file: "app/data.txt")
    }

    @Test("A server that trickles data steadily for longer than the timeout is waited for")
    func slowButLiveCloneFinishes() throws {
        let fixture = try SourceFixture()
        try Self.commitLargeFile(in: fixture)
        let daemon = try GitDaemonServer(baseDirectory: fixture.serverBase)
        defer { daemon.stop() }
        let proxy = try TrickleProxy(upstreamPort: daemon.port, chunk: 512, interval: 0.1)
        defer { proxy.stop() }
        let started = Date()

        // 5 s leaves room for a loaded machine; the proxy sends something every 0.1 s.
        let update = try fixture.source(url: proxy.url(for: "repo"), timeout: 5).update(lastAccepted: nil)

        #expect(update.commit.id == (try fixture.head))
        // Well over the timeout, or the test would not show anything.
        #expect(Date().timeIntervalSince(started) > 10)
    }

    @Test("A server that stops sending mid-transfer fails after the timeout, naming the idle deadline")
    func stalledTransferFailsWithTheIdleMessage() throws {
        let fixture = try SourceFixture()
        try Self.commitLargeFile(in: fixture)
        let daemon = try GitDaemonServer(baseDirectory: fixture.serverBase)
        defer { daemon.stop() }
        // The reference listing passes; the pack stops after a few KB.
        let proxy = try TrickleProxy(upstreamPort: daemon.port, chunk: 1024, interval: 0.05, stallAfter: 8192)
        defer { proxy.stop() }
        let started = Date()

        let error = #expect(throws: SourceError.self) {
            try fixture.source(url: proxy.url(for: "repo"), timeout: 3).update(lastAccepted: nil)
        }

        #expect(error?.kind == .timedOut)
        #expect(error?.message.contains("no progress for 3 s") == true, "\(error?.message ?? "")")
        #expect(error?.isRetryable == true)
        #expect(Date().timeIntervalSince(started) < 20)
    }
}
