/// How a rendered unit hands a service its files from git, and how it reloads them.
///
/// Each target directory is one read-only bind mount of a host directory the reconciler owns
/// (`ConfigFile.hostDirectory`). The directory, never the single file: the reconciler
/// replaces files by atomic rename, and a file bind mount would pin the old inode, so the
/// container would never see a change. The file contents are not in the unit: a changed
/// file leaves the unit as it is, and the planner reloads instead of restarting.
extension ServiceRenderer {
    /// `--volume HOSTDIR:TARGETDIR:ro`, one per target directory, in target order.
    func fileOptions(_ service: ServiceSpec) -> [String] {
        let directories = Set(service.files.map(\.targetDirectory)).sorted()
        return directories.flatMap { directory in
            [
                "--volume",
                "\(ConfigFile.hostDirectory(service: service.name, targetDirectory: directory)):\(directory):ro",
            ]
        }
    }

    /// `ExecReload=RUNTIME exec NAME COMMAND…`, or nothing when the service declares no reload.
    /// systemd runs it for `systemctl reload`; a non-zero exit fails the reload job.
    func reloadLines(_ service: ServiceSpec) -> [String] {
        guard !service.reload.isEmpty else { return [] }
        let words: [ExecWord] =
            [.literal(runtime.executable), "exec", .literal(service.name)] + service.reload.map(ExecWord.literal)
        return ["ExecReload=\(SystemdEscaping.execLine(words))"]
    }
}
