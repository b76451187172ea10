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

    @Option(name: .long, help: "The desired-state folder inside the repository (default: desired-state).")
    var path: String?

    @Option(name: .long, help: "The state directory (default: /var/lib/reconciler).")
    var stateDir: String?

    @Option(name: .long, help: "This host's name for `hosts:` selectors (default: the machine's host name).")
    var host: String?

    @Flag(name: .long, help: "Allow a commit that removes every unit the reconciler owns.")
    var allowEmpty = false

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
        if let repo { configuration.repository.url = repo }
        if let branch { configuration.repository.reference = .branch(branch) }
        if let path { configuration.repository.path = path }
        if let stateDir { configuration.stateDirectory = stateDir }
        if let host { configuration.hostName = host }
        if allowEmpty { configuration.allowEmpty = true }
        return configuration
    }
}
