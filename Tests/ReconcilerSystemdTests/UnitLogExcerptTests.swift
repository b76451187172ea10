import ReconcilerSystemd
import Testing

/// The lines quoted for a unit that did not start keep the runtime's own error, however many
/// lines systemd wrote about stopping it.
struct UnitLogExcerptTests {
    static func manager(_ text: String) -> UnitLogExcerpt.Line { .init(text: text, fromManager: true) }
    static func own(_ text: String) -> UnitLogExcerpt.Line { .init(text: text, fromManager: false) }

    @Test func theRuntimesErrorSurvivesManyKillLines() {
        let lines =
            [
                Self.manager("Starting api.service - Service api..."),
                Self.own("Error: stat /no/such/program: no such file or directory"),
            ]
            + (1...8).map { Self.manager("api.service: Killing process \($0) (podman) with signal SIGKILL.") }
            + [
                Self.manager("api.service: Failed with result 'exit-code'."),
                Self.manager("Failed to start api.service - Service api."),
            ]

        let excerpt = UnitLogExcerpt.select(lines, limit: 10)

        #expect(excerpt.count == 10)
        #expect(excerpt.contains("Error: stat /no/such/program: no such file or directory"))
        #expect(
            excerpt.suffix(2) == [
                "api.service: Failed with result 'exit-code'.", "Failed to start api.service - Service api.",
            ])
    }

    @Test func theUnitsOwnLastLinesWinOverSystemdsEarlierOnesAndOrderIsKept() {
        let lines =
            [Self.manager("m1")] + (1...12).map { Self.own("o\($0)") } + [Self.manager("m2"), Self.manager("m3")]

        #expect(UnitLogExcerpt.select(lines, limit: 5) == ["o10", "o11", "o12", "m2", "m3"])
    }

    @Test func fewLinesAreAllKept() {
        let lines = [Self.manager("m1"), Self.own("o1"), Self.manager("m2"), Self.manager("m3")]

        #expect(UnitLogExcerpt.select(lines, limit: 10) == ["m1", "o1", "m2", "m3"])
        #expect(UnitLogExcerpt.select([], limit: 10) == [])
    }
}
