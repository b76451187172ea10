import ArgumentParser
import ReconcilerEngine

extension Reconciler {
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a commit out of the quarantine and sync now.",
            discussion: """
                A commit that failed after changing the host (a unit that did not start, a health \
                check that did not pass) is rolled back and quarantined: no run tries it again until \
                a newer commit arrives. After fixing what was wrong outside git (a missing volume, a \
                full disk), retry it. Without COMMIT every quarantined commit is released; a \
                degraded host is allowed to restart its services again. Then runs like `once`.
                """)

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        @Argument(help: "The quarantined commit, or a unique prefix of it (default: every one).")
        var commit: String?

        @Flag(name: .long, help: "Only release the commit; the agent tries it at its next poll.")
        var noSync = false

        func run() throws {
            let logger = global.makeLogger()
            let configuration = try host.load()
            let reconciliation = Composition.reconciliation(configuration, logger: logger)
            let released: [String]
            do throws(ReconcileError) {
                released = try reconciliation.retry(commit)
            } catch {
                printError("reconciler retry: \(error.message)")
                throw ExitCode(1)
            }
            print(
                released.isEmpty
                    ? "no commit was quarantined"
                    : "released from the quarantine: \(released.map { String($0.prefix(12)) }.joined(separator: ", "))")
            guard !noSync else { return }
            do throws(ReconcileError) {
                print(OnceText.summary(try reconciliation.once(waitForLock: true, trigger: "retry")))
            } catch {
                printError("reconciler retry: \(error.message)")
                throw ExitCode(1)
            }
        }
    }
}
