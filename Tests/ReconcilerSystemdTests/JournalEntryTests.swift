import Logging
import ReconcilerSystemd
import Testing

struct JournalEntryTests {
    @Test(arguments: [
        ("commit", "RECONCILER_COMMIT"),
        ("service", "RECONCILER_SERVICE"),
        ("unit.name", "RECONCILER_UNIT_NAME"),
        ("git-revision", "RECONCILER_GIT_REVISION"),
        ("Mixed.Case9", "RECONCILER_MIXED_CASE9"),
        ("ünïcode", "RECONCILER__N_CODE"),
    ])
    func metadataKeysBecomeUpperCaseReconcilerFields(key: String, field: String) {
        #expect(JournalEntry.fieldName(forMetadataKey: key) == field)
    }

    @Test func fieldNamesAreCutAtSixtyFourCharacters() {
        let name = JournalEntry.fieldName(forMetadataKey: String(repeating: "k", count: 100))
        #expect(name.count == 64)
    }

    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func levelsMapToSyslogPriorities(level: Logger.Level, priority: Int) {
        #expect(JournalEntry.priority(level) == priority)
    }

    @Test func anEntryCarriesMessagePriorityIdentifierSourceAndSortedMetadata() {
        let entry = JournalEntry(
            identifier: "reconciler", level: .notice, message: "applied plan",
            metadata: ["service": "blog", "commit": "abc123", "actions": .array(["restart", "write"])],
            file: "Engine/Apply.swift", function: "apply()", line: 42)

        #expect(
            entry.fields.map(\.name) == [
                "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
                "RECONCILER_ACTIONS", "RECONCILER_COMMIT", "RECONCILER_SERVICE",
            ])
        #expect(
            entry.fields.map(\.value) == [
                "applied plan", "5", "reconciler", "Engine/Apply.swift", "42", "apply()",
                "restart,write", "abc123", "blog",
            ])
    }

    @Test func anErrorIsAppendedToTheMessageAndKeptAsAField() {
        struct Boom: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        let entry = JournalEntry(
            identifier: "reconciler", level: .error, message: "run failed", metadata: [:], error: Boom())

        #expect(entry.fields.first { $0.name == "MESSAGE" }?.value == "run failed: disk on fire")
        #expect(entry.fields.first { $0.name == "RECONCILER_ERROR" }?.value == "disk on fire")
    }
}
