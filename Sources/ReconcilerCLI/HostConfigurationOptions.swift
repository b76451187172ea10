import ArgumentParser
import Foundation
import ReconcilerCore

/// The overrides of the host configuration every command that reads the desired state takes.
struct HostConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "The host configuration file (default: \(HostConfiguration.defaultPath), if present).")
    var config: String?

    @Option(name: .long, help: "The repository: a path, file://, git://, ssh:// or https:// URL.")
    var repo: String?

    @Option(name: .long, help: "Follow this branch (default: main).")
    var branch: String?

    @Option(name: .long, help: "Follow this tag instead of a branch: moving the tag deploys.")
    var tag: String?

    @Option(name: .long, help: "Stay on this commit (its full 40-character id) instead of a branch.")
    var commit: String?

    @Option(name: .long, help: "The desired-state folder inside the repository (default: desired-state).")
    var path: String?

    @Option(name: .long, help: "The state directory (default: /var/lib/reconciler).")
    var stateDir: String?

    @Option(name: .long, help: "This host's name for `hosts:` selectors (default: the machine's host name).")
    var host: String?

    @Option(
        name: .customLong("label"),
        help: "A host label as KEY=VALUE for `hosts.labels` selectors; adds to or replaces host.labels (repeatable).")
    var labels: [String] = []

    @Flag(name: .long, help: "Allow a commit that removes every unit the reconciler owns.")
    var allowEmpty = false

    func validate() throws {
        let given = [("--branch", branch), ("--tag", tag), ("--commit", commit)].filter { $0.1 != nil }.map(\.0)
        if given.count > 1 {
            throw ValidationError(
                "give at most one of --branch, --tag or --commit (found \(given.joined(separator: " and ")))")
        }
        for (flag, name) in [("--branch", branch), ("--tag", tag)] {
            if let name, name.isEmpty || name.hasPrefix("-") || name.contains(" ") || name.contains("..") {
                throw ValidationError("\(flag) '\(name)' is not a valid \(flag.dropFirst(2)) name")
            }
        }
        if let commit, commit.count != 40 || !commit.allSatisfy(\.isHexDigit) {
            throw ValidationError("--commit takes a full 40-character commit id, not '\(commit)'")
        }
        if case .failure(let problem) = HostLabelArgument.parse(labels) { throw ValidationError(problem.description) }
    }

    /// The reference the flags ask for, nil when none is given.
    var reference: TrackedReference? {
        if let branch { return .branch(branch) }
        if let tag { return .tag(tag) }
        if let commit { return .commit(commit.lowercased()) }
        return nil
    }

    /// Defaults, then the configuration file, then these flags.
    func load() throws -> HostConfiguration {
        var configuration = HostConfiguration(hostName: HostName.current())
        let file = config ?? HostConfiguration.defaultPath
        if FileManager.default.fileExists(atPath: file) {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file): permission denied")
            }
            do {
                configuration = try HostConfigurationDecoder.decode(
                    bytes: [UInt8](data), file: file, base: configuration)
            } catch {
                throw ValidationError("the host configuration is not valid, nothing was done:\n\(error)")
            }
        } else if config != nil {
            throw ValidationError("the configuration file \(file) does not exist")
        }
        applyOverrides(to: &configuration)
        return configuration
    }

    /// The flags given, on top of the defaults and the file.
    func applyOverrides(to configuration: inout HostConfiguration) {
        if let repo { configuration.repository.url = repo }
        if let reference { configuration.repository.reference = reference }
        if let path { configuration.repository.path = path }
        if let stateDir { configuration.stateDirectory = stateDir }
        if let host { configuration.hostName = host }
        // validate() refused a bad --label before any command ran.
        if case .success(let given) = HostLabelArgument.parse(labels) {
            configuration.labels.merge(given) { _, flag in flag }
        }
        if allowEmpty { configuration.allowEmpty = true }
    }
}
