import ArgumentParser
import Foundation
import Logging
import ReconcilerCore
import ReconcilerSystemd

extension Reconciler {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show this host, its service manager and what the reconciler has applied.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Output format: text or json.")
        var output: OutputFormat = .text

        func run() async throws {
            let logger = global.makeLogger()
            let manager: SystemdManagerInfo
            let failed: [String]
            do {
                let systemd = try SystemdManager.connect()
                manager = try systemd.info()
                failed = try systemd.listUnits().filter { $0.activeState == "failed" }.map(\.name)
            } catch {
                throw CommandFailure("read the service manager's state", cause: error)
            }
            let report = StatusReport(host: HostName.current(), systemd: manager, failedUnits: failed, applied: nil)
            logger.debug(
                "read service manager",
                metadata: ["systemd.version": "\(manager.version)", "systemd.state": "\(manager.systemState)"])
            switch output {
            case .json: print(try JSONOutput.encode(report))
            case .text: print(report.text)
            }
        }
    }
}

/// What `reconciler status` reports.
struct StatusReport: Encodable {
    var host: String
    var systemd: SystemdManagerInfo
    /// Units in the "failed" state, which is what makes a system "degraded".
    var failedUnits: [String]
    /// The revision last applied to this host; nil until the first successful run.
    var applied: Revision?

    enum CodingKeys: String, CodingKey {
        case host, systemd, failedUnits, applied
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(systemd, forKey: .systemd)
        try container.encode(failedUnits, forKey: .failedUnits)
        // Scripts read `"applied": null` more reliably than a missing key.
        try container.encode(applied, forKey: .applied)
    }

    var text: String {
        let appliedText = applied.map { "\($0.shortID) \($0.summary)" } ?? "nothing applied yet"
        let failedText = failedUnits.isEmpty ? "none" : failedUnits.joined(separator: ", ")
        return """
            host:     \(host)
            systemd:  \(systemd.version), \(systemd.systemState)
            failed:   \(failedText)
            applied:  \(appliedText)
            """
    }
}
