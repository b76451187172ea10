import ArgumentParser

extension Reconciler {
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the reconciler's version.")

        @OptionGroup var global: GlobalOptions

        func run() {
            _ = global.makeLogger()
            print(ReconcilerVersion.current)
        }
    }
}
