import Foundation
import ReconcilerCore
import ReconcilerEngine
import ReconcilerStore
import Testing

@testable import ReconcilerCLI

/// Text that came from outside (commit messages, build logs, probe output) is printed with
/// its control characters shown, never obeyed by the terminal; JSON stays faithful.
struct TerminalSafeTextTests {
    /// 2024-05-01T10:00:00Z.
    static let morning = Date(timeIntervalSince1970: 1_714_557_600)
    static let commit = "fedcba9876543210fedcba9876543210fedcba98"
    /// A clear screen, a window title, a carriage return that overwrites the line, a C1 CSI
    /// and a right-to-left override.
    static let hostile = "build failed\u{1B}[2J\u{1B}]0;pwned\u{07}\rok\u{9B}31m \u{202E}txt.exe"

    @Test(
        "Controls are escaped, newlines kept only where the text may span lines",
        arguments: [
            ("plain text, ünïcode ✓", true, "plain text, ünïcode ✓"),
            ("a\nb\tc", true, "a\nb\tc"),
            ("a\nb\tc", false, "a\\x0ab\\x09c"),
            ("\u{1B}[31mred\u{1B}[0m", true, "\\x1b[31mred\\x1b[0m"),
            ("over\rwrite\u{7F}\u{0}", true, "over\\x0dwrite\\x7f\\x00"),
            ("c1 \u{9B}1;1H", true, "c1 \\x9b1;1H"),
            ("gnp.\u{202E}exe \u{2066}i\u{2069} \u{200F}", true, "gnp.\\u{202e}exe \\u{2066}i\\u{2069} \\u{200f}"),
        ])
    func sanitised(input: String, multiline: Bool, expected: String) {
        #expect(TerminalSafeText.sanitized(input, multiline: multiline) == expected)
    }

    static func isTerminalSafe(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0 != "\n" && TerminalSafeText.needsEscape($0, multiline: true) }
    }

    @Test("status shows hostile errors, quarantine reasons, health notes and unit problems with no control character")
    func statusEscapesOutsideText() {
        let summary = StoreSummary(
            lastError: ErrorMark(message: "line one\n" + Self.hostile, commit: Self.commit, at: Self.morning),
            quarantined: [QuarantinedCommit(commit: Self.commit, reason: Self.hostile, at: Self.morning)],
            degraded: ErrorMark(message: Self.hostile, commit: Self.commit, at: Self.morning),
            unhealthy: ErrorMark(message: Self.hostile, commit: Self.commit, at: Self.morning))
        let unit = OwnedUnitStatus(
            name: "web.service", commit: Self.commit, writtenAt: Self.morning, problem: Self.hostile)
        let status = HostStatus(
            repository: RepositoryStatus(url: "/srv/ops\u{1B}[8m.git", branch: "main"), summary: summary, units: [unit])
        let text = StatusText.render(StatusTextTests.report(status))
        #expect(Self.isTerminalSafe(text))
        #expect(text.contains("line one\n          build failed\\x1b[2J\\x1b]0;pwned\\x07\\x0dok"))
        #expect(text.contains("/srv/ops\\x1b[8m.git"))
    }

    @Test("history shows a hostile commit message and step error without a single control character")
    func historyEscapesOutsideText() {
        let run = RunRecord(
            id: 4, trigger: "once", commit: Self.commit, startedAt: Self.morning,
            endedAt: Self.morning.addingTimeInterval(2), result: .failed, message: Self.hostile,
            actions: [
                HistoryTextTests.action(
                    0, "build-image", "localhost/web\u{1B}[1m:1", .failed, reason: "not present",
                    message: "step 3:\n" + Self.hostile, run: 4)
            ])
        let text = HistoryText.render(
            [run], quarantined: [QuarantinedCommit(commit: Self.commit, reason: Self.hostile, at: Self.morning)])
        #expect(Self.isTerminalSafe(text))
        #expect(text.contains("failed  build failed\\x1b[2J"))
        #expect(text.contains("localhost/web\\x1b[1m:1"))
    }

    @Test("JSON keeps the text as it was, every control written as a JSON escape")
    func jsonIsFaithful() throws {
        let summary = StoreSummary(lastError: ErrorMark(message: Self.hostile, commit: nil, at: Self.morning))
        let json = try JSONOutput.encode(
            StatusTextTests.report(HostStatus(repository: nil, summary: summary, units: [])))
        #expect(Self.isTerminalSafe(json))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let lastError = try #require(object["lastError"] as? [String: Any])
        #expect(lastError["message"] as? String == Self.hostile)
    }
}
