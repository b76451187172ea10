import Foundation
import ReconcilerCore
import ReconcilerTesting
import Testing

@testable import ReconcilerEngine

/// A failed step's error names the step once: adapters' errors already say what they were
/// doing ("start blog.service: ..."), so the applier adds that only when it is missing.
struct ActionErrorTests {
    static func occurrences(of part: String, in text: String) -> Int {
        text.components(separatedBy: part).count - 1
    }

    @Test("A unit that fails to start is named once in the error and in the step's record")
    func aFailedStartIsNamedOnce() throws {
        let engine = EngineFixture()
        engine.host.failStarts(of: "blog.service", with: "the unit did not start: it is failed (failed)")
        engine.repository.commit(DesiredFiles.blog())

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(
            Self.occurrences(of: "start blog.service", in: error?.message ?? "") == 1, "\(String(describing: error))")
        let step = try #require(engine.store.runs.last?.actions.first { $0.kind == "start" })
        #expect(step.message == "start blog.service: the unit did not start: it is failed (failed)")
    }

    @Test(
        "The step is prefixed only when the error does not already begin with it",
        arguments: [
            (
                "start web.service", "start web.service: the unit did not start",
                "start web.service: the unit did not start"
            ),
            ("start web.service", "connection refused", "start web.service: connection refused"),
            (
                "start web.service", "start web.service2: no such unit",
                "start web.service: start web.service2: no such unit"
            ),
            ("enable web.service", "enable unit files: denied", "enable web.service: enable unit files: denied"),
        ])
    func prefix(title: String, error: String, expected: String) {
        #expect(ActionFailure.message(title, error) == expected)
    }
}
