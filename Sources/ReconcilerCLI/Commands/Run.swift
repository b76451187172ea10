import ArgumentParser
import ReconcilerEngine
import ReconcilerPOSIX
import ReconcilerSystemd

extension Reconciler {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the agent: sync every poll interval, at once on SIGHUP, until SIGTERM.",
            discussion: """
                Meant to be started by units/reconciler.service (Type=notify): it reports readiness \
                and status to systemd, pings the watchdog when WatchdogSec= is set, and logs to the \
                journal. `systemctl reload reconciler` syncs now.
                """)

        @OptionGroup var host: HostConfigurationOptions
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let logger = global.makeLogger()
            let configuration = try host.load()
            let agent = Agent(
                configuration: configuration, ports: Composition.ports(configuration, logger: logger, background: true),
                triggers: ProcessSignals(), reporter: ServiceNotifier(), logger: logger)
            let status = agent.run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
