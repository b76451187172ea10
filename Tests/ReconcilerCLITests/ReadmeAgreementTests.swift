import ArgumentParser
import Foundation
import ReconcilerCore
import Testing

@testable import ReconcilerCLI
@testable import ReconcilerEngine

/// What README.md promises about the binary is what the code does; each test reads the
/// README's own sentence, so a change to either side that breaks the agreement fails here.
struct ReadmeAgreementTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The README's paragraph about the log options, joined into one line.
    static func logOptionsSentence() throws -> String {
        let paragraphs = try text("README.md").components(separatedBy: "\n\n")
        let paragraph = try #require(paragraphs.first { $0.contains("`--log-level`") && $0.contains("`--log-target`") })
        return paragraph.replacingOccurrences(of: "\n", with: " ")
    }

    static let commands = [
        "run", "once", "retry", "suspend", "resume", "diff", "validate", "render", "status", "history", "version",
    ]

    static func acceptsLogOptions(_ command: String) -> Bool {
        (try? Reconciler.parseAsRoot([command, "--log-level", "debug", "--log-target", "stderr"])) != nil
    }

    @Test("The commands the README says take --log-level and --log-target are exactly those that do")
    func logOptions() throws {
        let sentence = try Self.logOptionsSentence()
        let head = try #require(sentence.components(separatedBy: "`--log-level`").first)
        let named =
            head.hasPrefix("Every command")
            ? Self.commands : Self.commands.filter { head.contains("`\($0)`") }
        #expect(named == Self.commands.filter(Self.acceptsLogOptions), "README: \(head)")
    }

    @Test("The README gives the watchdog's limits as the unit and the agent set them")
    func watchdog() throws {
        let readme = try Self.text("README.md").replacingOccurrences(of: "\n", with: " ")
        let unit = try Self.text("units/reconciler.service")
        #expect(unit.contains("\nWatchdogSec=10min\n") && readme.contains("10-minute watchdog"))
        let stall = Int(WatchdogPinger.maximumStall / 60)
        #expect(readme.contains("no progress for \(stall) minutes"), "README must give the \(stall)-minute stall limit")
        #expect(!readme.contains("one step ran longer than 10 minutes"))
    }

    @Test("The README names built images as the renderer does")
    func imageNames() throws {
        let readme = try Self.text("README.md")
        let pattern = "localhost/reconciler/<service>:<tag>"
        #expect(readme.contains("`\(pattern)`"))
        let example = pattern.replacingOccurrences(of: "<service>", with: "blog")
            .replacingOccurrences(of: "<tag>", with: "0123abcd")
        #expect(ImageNaming.built(service: "blog", tag: "0123abcd") == example)
    }
}
