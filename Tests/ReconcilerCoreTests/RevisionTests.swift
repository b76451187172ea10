import ReconcilerCore
import Testing

struct RevisionTests {
    static func revision(message: String) -> Revision {
        Revision(
            id: "0123456789abcdef0123456789abcdef01234567", authorName: "A", authorEmail: "a@example.org",
            authoredAt: 0, authorUTCOffsetMinutes: 0, message: message)
    }

    @Test(arguments: [
        ("Deploy blog 1.2\n\nLonger body.\n", "Deploy blog 1.2"),
        ("one line without newline", "one line without newline"),
        ("", ""),
    ])
    func summaryIsTheFirstLineOfTheMessage(message: String, summary: String) {
        #expect(Self.revision(message: message).summary == summary)
    }

    @Test func shortIDIsTheFirstTwelveHexDigits() {
        #expect(Self.revision(message: "x").shortID == "0123456789ab")
    }
}

struct SystemdManagerInfoTests {
    @Test(
        arguments: [
            ("252.38-1~deb12u1", 252),
            ("255", 255),
            ("257.4-arch1-1", 257),
            ("", nil),
            ("unknown", nil),
        ] as [(String, Int?)])
    func majorVersionIsTheLeadingNumber(version: String, major: Int?) {
        #expect(SystemdManagerInfo(version: version, systemState: "running").majorVersion == major)
    }
}
