import ArgumentParser
import ReconcilerCore
import Testing

@testable import ReconcilerCLI

/// Options every command shares, checked over the command tree itself, so a command added
/// later cannot miss them.
struct CommandLineOptionsTests {
    /// Every runnable command, as the words that name it on the command line.
    static func leaves(_ command: any ParsableCommand.Type, path: [String] = []) -> [[String]] {
        let subcommands = command.configuration.subcommands
        guard !subcommands.isEmpty else { return [path] }
        return subcommands.flatMap { sub in
            leaves(sub, path: path + [sub.configuration.commandName ?? sub._commandName])
        }
    }

    /// The `GlobalOptions` a parsed command holds, wherever its option groups put them.
    static func globalOptions(in value: Any, depth: Int = 0) -> GlobalOptions? {
        if let options = value as? GlobalOptions { return options }
        guard depth < 6 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = globalOptions(in: child.value, depth: depth + 1) { return found }
        }
        return nil
    }

    @Test func theTreeHoldsTheCommandsOperatorsUse() {
        let names = Self.leaves(Reconciler.self).map { $0.joined(separator: " ") }
        #expect(names.contains("config check"))
        #expect(names.contains("diff"))
        #expect(names.contains("version"))
    }

    @Test(arguments: leaves(Reconciler.self))
    func everyCommandTakesTheLogOptions(path: [String]) throws {
        let command = try Reconciler.parseAsRoot(path + ["--log-level", "debug", "--log-target", "stderr"])
        let options = try #require(Self.globalOptions(in: command), "\(path) has no GlobalOptions")
        #expect(options.logLevel == .debug)
        #expect(options.logTarget == .stderr)
    }

    static let commit = String(repeating: "a1", count: 20)

    @Test(arguments: [
        (["--tag", "production"], TrackedReference.tag("production")),
        (["--commit", commit.uppercased()], .commit(commit)),
        (["--branch", "release"], .branch("release")),
        ([], .branch("main")),
    ])
    func aReferenceFlagSetsWhatTheHostFollows(flags: [String], expected: TrackedReference) throws {
        let options = try HostConfigurationOptions.parse(["--config", "/dev/null"] + flags)
        var configuration = HostConfiguration(hostName: "web1")
        options.applyOverrides(to: &configuration)
        #expect(configuration.repository.reference == expected)
    }

    @Test(arguments: [
        (["--tag", "v1", "--branch", "main"], "at most one of --branch, --tag or --commit (found --branch and --tag)"),
        (["--commit", commit, "--tag", "v1"], "(found --tag and --commit)"),
        (["--commit", "a1b2c3"], "--commit takes a full 40-character commit id, not 'a1b2c3'"),
        (["--tag", "bad name"], "--tag 'bad name' is not a valid tag name"),
    ])
    func conflictingOrMalformedReferencesAreRefused(flags: [String], message: String) {
        do {
            _ = try Reconciler.parseAsRoot(["once"] + flags)
            Issue.record("\(flags) was accepted")
        } catch {
            let text = Reconciler.message(for: error)
            #expect(text.contains(message), "\(text)")
        }
    }
}
