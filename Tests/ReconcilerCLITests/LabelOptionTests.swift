import ArgumentParser
import Foundation
import ReconcilerCore
import Testing

@testable import ReconcilerCLI

/// `--label` on the commands that read the desired state: it adds to or replaces the labels of
/// the host configuration file, and a malformed one stops the command before it does anything.
struct LabelOptionTests {
    /// A config.yaml giving the host two labels, removed when the test ends.
    static func configFile() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("labels-\(UUID().uuidString).yaml").path
        let text = """
            host:
              name: web1
              labels: {web: blog, ring: "0"}

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The `HostConfigurationOptions` a parsed command holds, inside its option group.
    static func hostOptions(in value: Any, depth: Int = 0) -> HostConfigurationOptions? {
        if let options = value as? HostConfigurationOptions { return options }
        guard depth < 6 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = hostOptions(in: child.value, depth: depth + 1) { return found }
        }
        return nil
    }

    @Test(
        "--label adds to and replaces the file's labels on once, diff, run and config check",
        arguments: [["once"], ["diff"], ["run"], ["config", "check"]])
    func flagsOverrideTheFile(command: [String]) throws {
        let file = try Self.configFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let parsed = try Reconciler.parseAsRoot(
            command + ["--config", file, "--label", "ring=1", "--label", "db=blog"])
        let options = try #require(Self.hostOptions(in: parsed), "\(command) has no HostConfigurationOptions")
        let configuration = try options.load()
        #expect(configuration.labels == ["web": "blog", "ring": "1", "db": "blog"])
        #expect(configuration.hostName == "web1")
    }

    @Test("without --label the file's labels stand")
    func noFlagKeepsTheFile() throws {
        let file = try Self.configFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let options = try HostConfigurationOptions.parse(["--config", file])
        #expect(try options.load().labels == ["web": "blog", "ring": "0"])
    }

    @Test(
        "a malformed --label stops once, diff and run with a message naming the flag",
        arguments: [
            (["once", "--label", "web"], "--label takes KEY=VALUE (for example web=blog), not 'web'"),
            (["diff", "--label", "web=bl og"], "--label 'web=bl og': the value contains a space"),
            (["run", "--label", "a=1", "--label", "a=2"], "--label a is given twice (a=1 and a=2)"),
            (["render", "--label", "=x"], "--label '=x' has no key before '='"),
        ])
    func malformedLabelsAreRefused(arguments: [String], message: String) {
        do {
            _ = try Reconciler.parseAsRoot(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            let text = Reconciler.message(for: error)
            #expect(text.contains(message), "\(text)")
        }
    }

    @Test("config check prints the labels --label gives")
    func configCheckShowsTheOverride() throws {
        let file = try Self.configFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let options = try HostConfigurationOptions.parse(["--config", file, "--label", "db=blog"])
        let settings = try #require(ConfigCheckReport(options: options).settings)
        #expect(
            settings.filter { $0.key.hasPrefix("host.labels.") } == [
                "host.labels.db": "blog", "host.labels.ring": "0", "host.labels.web": "blog",
            ])
    }
}
