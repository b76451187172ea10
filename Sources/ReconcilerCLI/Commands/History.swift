import ArgumentParser
import ReconcilerCore
import ReconcilerStore

extension Reconciler {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the latest runs, newest first, with the actions each took and how they ended.",
            discussion: "Reads the state store only; prints nothing but a note before the first run.")

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        @Option(name: [.customShort("n"), .long], help: "How many runs to show.")
        var limit = 20

        @Option(name: .long, help: "Output format: text or json.")
        var output: OutputFormat = .text

        func validate() throws {
            guard limit > 0 else { throw ValidationError("-n must be at least 1") }
        }

        func run() throws {
            _ = global.makeLogger()
            let configuration = try host.load()
            let runs: [RunRecord]
            let quarantined: [QuarantinedCommit]
            do {
                let store = try Composition.existingStore(configuration)
                runs = try store?.history(limit: limit) ?? []
                quarantined = try store?.summary().quarantined ?? []
            } catch {
                throw CommandFailure("read the run history", cause: error)
            }
            switch output {
            case .json: print(try JSONOutput.encode(runs))
            case .text: print(HistoryText.render(runs, quarantined: quarantined))
            }
        }
    }
}
