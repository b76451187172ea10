public import ArgumentParser
import ReconcilerCore

extension Reconciler {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the unit files the desired state renders to for a host.",
            discussion: """
                Validates first and prints nothing but the errors when the desired state is invalid. \
                Built images are shown with the tag '\(ImageNaming.workingTreeTag)'; a real run tags \
                them with the git tree id of their build context.
                """)

        @OptionGroup var source: CheckoutOptions
        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Render for this host name (default: this machine's).")
        var host: String?

        @Option(name: .customLong("label"), help: "A host label as KEY=VALUE, for `hosts.labels` selectors.")
        var labels: [String] = []

        @Option(name: .long, help: "Container runtime: podman or docker.")
        var runtime: ContainerRuntime = .podman

        @Option(name: .long, help: "Output format: text or json.")
        var output: OutputFormat = .text

        func validate() throws {
            if case .failure(let problem) = HostLabelArgument.parse(labels) {
                throw ValidationError(problem.description)
            }
        }

        func run() throws {
            _ = global.makeLogger()
            let load = try source.load()
            guard let state = load.state, !load.hasErrors else {
                for diagnostic in load.diagnostics { printError(diagnostic.description) }
                throw ExitCode(1)
            }
            let identity = HostIdentity(name: host ?? HostName.current(), labels: parsedLabels)
            let hostProblems = state.diagnostics(forHost: identity)
            guard hostProblems.isEmpty else {
                for diagnostic in hostProblems { printError(diagnostic.description) }
                throw ExitCode(1)
            }
            if let problem = state.emptySelectionProblem(forHost: identity) {
                printError("reconciler render: \(problem)")
                throw ExitCode(1)
            }
            let units = DesiredStateRenderer(runtime: runtime).render(state.selecting(host: identity)) {
                DesiredStateRenderer.imageReference(for: $0, buildTag: ImageNaming.workingTreeTag)
            }
            switch output {
            case .json: print(try JSONOutput.encode(units))
            case .text:
                print(
                    units.map { "# /etc/systemd/system/\($0.name)\n\($0.contents)" }.joined(separator: "\n"),
                    terminator: "")
            }
        }

        private var parsedLabels: [String: String] {
            // validate() refused a bad --label before run().
            (try? HostLabelArgument.parse(labels).get()) ?? [:]
        }
    }
}

extension ContainerRuntime: ExpressibleByArgument {}
