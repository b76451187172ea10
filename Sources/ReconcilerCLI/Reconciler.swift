public import ArgumentParser

/// The `reconciler` command: a pull-based GitOps agent for systemd hosts.
public struct Reconciler: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reconciler",
        abstract: "Converge this host's systemd units and containers to the desired state in a git repository.",
        version: ReconcilerVersion.current,
        subcommands: [
            Run.self, Once.self, Retry.self, Suspend.self, Resume.self, Diff.self, Validate.self, Render.self,
            Status.self, History.self, Config.self,
            Fleet.self,
            Version.self,
            GitHelper.self,
        ]
    )

    public init() {}
}
