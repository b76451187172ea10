import ArgumentParser
import Foundation
import ReconcilerCore

extension Reconciler {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with the host configuration (/etc/reconciler/config.yaml).",
            subcommands: [ConfigCheck.self])
    }

    struct ConfigCheck: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check the host configuration on this host and print the effective settings.",
            discussion: """
                Reads the file with every default and flag applied, reports every problem as \
                FILE:LINE:COLUMN: error: FIELD: MESSAGE, then checks what it can locally: the \
                repository URL's form, that credential files exist and only their owner can read \
                them, the state and unit folders, and the container runtime. Passwords and the \
                contents of credential files are never shown. Exits 0 when valid, 1 when not.
                """)

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Output format: text or json.")
        var output: OutputFormat = .text

        func run() throws {
            _ = global.makeLogger()
            let report = ConfigCheckReport(options: host)
            switch output {
            case .json: print(try JSONOutput.encode(report))
            case .text: print(report.text)
            }
            if !report.valid { throw ExitCode(1) }
        }
    }
}

/// What `reconciler config check` prints.
struct ConfigCheckReport: Encodable {
    var valid: Bool
    /// The file read, nil when none was (no file at the default path).
    var file: String?
    var diagnostics: [ConfigurationCheck.Finding]
    /// The effective settings; nil when the file could not be read.
    var settings: [String: String]?
    /// The same, in the order a person reads them.
    private var ordered: [(key: String, value: String)]

    enum CodingKeys: String, CodingKey { case valid, file, diagnostics, settings }

    /// Every key is written, as null when absent: scripts read `"settings": null` reliably.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(valid, forKey: .valid)
        try container.encode(file, forKey: .file)
        try container.encode(diagnostics, forKey: .diagnostics)
        try container.encode(settings, forKey: .settings)
    }

    init(options: HostConfigurationOptions) {
        let path = options.config ?? HostConfiguration.defaultPath
        var configuration = HostConfiguration(hostName: HostName.current())
        var diagnostics: [ConfigurationCheck.Finding] = []
        var file: String?
        var readable = true
        if FileManager.default.fileExists(atPath: path) {
            file = path
            if let data = FileManager.default.contents(atPath: path) {
                do {
                    configuration = try HostConfigurationDecoder.decode(
                        bytes: [UInt8](data), file: path, base: configuration)
                } catch {
                    readable = false
                    diagnostics = error.diagnostics.map {
                        ConfigurationCheck.Finding(
                            severity: $0.severity, file: $0.location.file, line: $0.location.line,
                            column: $0.location.column, field: $0.path, message: $0.message)
                    }
                }
            } else {
                readable = false
                diagnostics.append(
                    .init(severity: .error, file: path, field: "", message: "cannot read \(path): permission denied"))
            }
        } else if options.config != nil {
            readable = false
            diagnostics.append(.init(severity: .error, file: path, field: "", message: "\(path) does not exist"))
        }
        self.file = file
        if readable {
            options.applyOverrides(to: &configuration)
            let check = ConfigurationCheck(configuration: configuration, file: file)
            diagnostics += check.findings()
            ordered = check.settings
            settings = Dictionary(check.settings.map { ($0.key, $0.value) }) { first, _ in first }
        } else {
            ordered = []
            settings = nil
        }
        self.diagnostics = diagnostics
        valid = !diagnostics.contains { $0.severity == .error }
    }

    var text: String {
        var lines: [String] = []
        if !ordered.isEmpty {
            lines.append("# effective configuration (\(file ?? "no file: defaults and flags"))")
            let width = ordered.map(\.key.count).max() ?? 0
            for (key, value) in ordered {
                lines.append("\(key):" + String(repeating: " ", count: width - key.count + 1) + value)
            }
            lines.append("")
        }
        lines += diagnostics.map(\.description)
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let tail = warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""
        lines.append(valid ? "valid\(tail)" : "invalid: \(errors) error\(errors == 1 ? "" : "s")\(tail)")
        return TerminalSafeText.sanitized(lines.joined(separator: "\n"))
    }
}
