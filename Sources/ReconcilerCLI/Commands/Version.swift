import ArgumentParser

extension Reconciler {
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the reconciler's version.")

        func run() {
            print(ReconcilerVersion.current)
        }
    }
}
