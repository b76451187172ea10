import InMemoryLogging
import Logging
import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// A rolling update is named as such where an operator reads a run: the reason, which the
/// journal's message carries, and the reasons `reconciler history` prints.
struct RollingStepLogTests {
    @Test("the journal and the history name each instance's step of the rolling update")
    func journalAndHistoryNameTheSteps() throws {
        let handler = InMemoryLogHandler()
        let engine = EngineFixture(logger: Logger(label: "reconciler.test") { _ in handler })
        engine.repository.commit(RollingUpdateTests.blog(version: "1"))
        try engine.once()
        handler.clear()
        engine.repository.commit(RollingUpdateTests.blog(version: "2"))

        try engine.once()

        let restarts = handler.entries.filter { "\($0.message)".hasPrefix("restart ") }
        #expect(restarts.map { "\($0.message)" } == ["restart blog-1.service", "restart blog-2.service"])
        // The journal's message is the title and the reason (LogStory), so the step shows in it.
        let reasons = restarts.compactMap { $0.metadata["reason"].map { "\($0)" } }
        #expect(reasons.count == 2)
        #expect(reasons.first?.hasPrefix("rolling update of blog, 1 of 2: ") == true, "\(reasons)")
        #expect(reasons.last?.hasPrefix("rolling update of blog, 2 of 2: ") == true, "\(reasons)")
        #expect(restarts.compactMap { $0.metadata["rolling"].map { "\($0)" } } == ["blog 1/2", "blog 2/2"])
        let run = try #require(try engine.store.history(limit: 1).first)
        #expect(run.actions.filter { $0.kind == "restart" }.map(\.reason) == reasons)
    }
}
