import ArgumentParser
import ReconcilerEngine

extension Reconciler {
    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hold this host still: runs observe and report drift but change nothing.",
            discussion: """
                For an incident, or hands-on work on the host. Kept in the state store until \
                `reconciler resume`, across restarts of the agent; `status` shows it and why.
                """)

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Why, as status and the journal show it.")
        var reason = "suspended by an operator"

        func run() throws {
            let logger = global.makeLogger()
            let reconciliation = Composition.reconciliation(try host.load(), logger: logger)
            do throws(ReconcileError) {
                try reconciliation.suspend(reason: reason)
            } catch {
                printError("reconciler suspend: \(error.message)")
                throw ExitCode(1)
            }
            print("suspended: \(reason)")
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let runs change this host again after `reconciler suspend`.")

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let logger = global.makeLogger()
            let reconciliation = Composition.reconciliation(try host.load(), logger: logger)
            do throws(ReconcileError) {
                print(try reconciliation.resume() ? "resumed" : "not suspended; nothing to do")
            } catch {
                printError("reconciler resume: \(error.message)")
                throw ExitCode(1)
            }
        }
    }
}
