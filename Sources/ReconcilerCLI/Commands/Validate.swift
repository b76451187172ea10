import ArgumentParser
import Foundation
import ReconcilerCore

extension Reconciler {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the desired state in a checkout, offline: for pre-commit hooks and CI.",
            discussion: """
                Reads every *.yaml and *.yml file under REPO_DIR/desired-state (or --path) and reports \
                every problem as FILE:LINE:COLUMN: error: FIELD: MESSAGE. Exits 0 when the desired state \
                is valid, 1 when it is not (a missing folder included).
                """)

        @OptionGroup var source: CheckoutOptions
        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Output format: text or json.")
        var output: OutputFormat = .text

        func run() throws {
            _ = global.makeLogger()
            let load = try source.load()
            let report = ValidationReport(load: load)
            switch output {
            case .json: print(try JSONOutput.encode(report))
            case .text: print(report.text)
            }
            if load.hasErrors { throw ExitCode(1) }
        }
    }
}

/// The checkout a command reads the desired state from.
struct CheckoutOptions: ParsableArguments {
    @Argument(help: "The repository's root folder (a checkout).", completion: .directory)
    var repoDirectory: String = "."

    @Option(name: .long, help: "The desired-state folder inside the repository.")
    var path: String = "desired-state"

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repoDirectory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw ValidationError("'\(repoDirectory)' is not a folder; give the repository's root folder")
        }
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            throw ValidationError("--path must be relative to the repository root and stay inside it, not '\(path)'")
        }
    }

    func load() throws -> DesiredStateLoad {
        DesiredStateLoader.load(from: DirectoryTree(root: repoDirectory), folder: path)
    }
}

/// What `reconciler validate` prints.
struct ValidationReport: Encodable {
    var valid: Bool
    var errors: Int
    var warnings: Int
    var diagnostics: [Diagnostic]
    var services: [String]
    var units: [String]

    init(load: DesiredStateLoad) {
        valid = !load.hasErrors
        errors = load.diagnostics.filter { $0.severity == .error }.count
        warnings = load.diagnostics.filter { $0.severity == .warning }.count
        diagnostics = load.diagnostics
        services = load.state?.services.map(\.name) ?? []
        units = load.state?.units.map(\.name) ?? []
    }

    var text: String {
        var lines = diagnostics.map(\.description)
        if valid {
            lines.append(
                "valid: \(services.count) service\(services.count == 1 ? "" : "s"), "
                    + "\(units.count) unit\(units.count == 1 ? "" : "s")"
                    + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))
        } else {
            lines.append("invalid: \(errors) error\(errors == 1 ? "" : "s"); nothing would be applied")
        }
        return lines.joined(separator: "\n")
    }
}
