/// Renders a `Service` to the systemd unit that runs its container.
///
/// The podman flavour follows what Podman Quadlet generates for a `.container` file
/// (podman 4.x, pkg/systemd/quadlet/quadlet.go `ConvertContainer`): Type=notify with
/// `--sdnotify=conmon` so the unit is started only once the container runs, conmon as the
/// main process, `--cgroups=split` with Delegate=yes, KillMode=mixed, and a cidfile-based
/// `podman rm` on stop. The docker flavour supervises an attached `docker run`.
public struct ServiceRenderer: Sendable {
    public var runtime: ContainerRuntime
    /// The host's age identity, which units with secrets decrypt them with.
    public var ageIdentity: String

    public init(runtime: ContainerRuntime, ageIdentity: String = HostConfiguration.defaultAgeIdentity) {
        self.runtime = runtime
        self.ageIdentity = ageIdentity
    }

    /// The label key every container a rendered unit starts carries, with the service name as
    /// value. Units remove only containers that carry it, and the planner refuses a service
    /// whose name a container without it holds.
    public static let ownerLabel = "io.reconciler.service"

    /// The unit for `service`, running `image` (a full image reference).
    /// - Parameter source: the repository path of the document, recorded in the ownership marker.
    public func render(_ service: ServiceSpec, image: String) -> RenderedUnit {
        let source = service.location.file
        var lines: [String] = []
        lines.append("[Unit]")
        lines.append("Description=\(SystemdEscaping.specifierSafe(service.description ?? "Service \(service.name)"))")
        lines.append(OwnershipMarker.line(source: source))
        lines.append("Wants=network-online.target")
        lines.append("After=network-online.target")
        if runtime == .docker {
            lines.append("Requires=docker.service")
            lines.append("After=docker.service")
        }
        for dependency in service.after.sorted() {
            lines.append("Requires=\(dependency).service")
            lines.append("After=\(dependency).service")
        }
        lines.append("")
        lines.append("[Service]")
        switch runtime {
        case .podman: lines += podmanService(service, image: image)
        case .docker: lines += dockerService(service, image: image)
        }
        lines.append("Restart=\(service.restart.rawValue)")
        // systemd's 100 ms default would exhaust the start limit in half a second.
        lines.append("RestartSec=5s")
        lines.append("SyslogIdentifier=%N")
        lines.append("")
        lines.append("[Install]")
        lines.append("WantedBy=multi-user.target")
        let contents = OwnershipMarker.header(source: source) + lines.joined(separator: "\n") + "\n"
        return RenderedUnit(name: service.unitName, contents: contents, source: source)
    }

    private func podmanService(_ service: ServiceSpec, image: String) -> [String] {
        let cidfile = ExecWord.specifiers("--cidfile=%t/%N.cid")
        var run: [ExecWord] = [
            .literal(runtime.executable), "run",
            "--name", .literal(service.name),
            cidfile,
            // No --replace: it would remove a container of that name that is not ours. Our own
            // leftover is removed by label in ExecStartPre.
            "--rm", "-d",
            "--cgroups=split", "--sdnotify=conmon",
            // The reconciler builds or pulls before it starts anything: a start must never
            // wait on a registry, and a missing image must fail loudly.
            "--pull=never",
            "--label", .literal(ownerLabel(service)),
        ]
        run += containerOptions(service).map(ExecWord.literal)
        run.append(.literal(image))
        run += service.command.map(ExecWord.literal)
        let remove: [ExecWord] = [.literal(runtime.executable), "rm", "-v", "-f", "-i", cidfile]
        // podman 4.3 leaves the cidfile behind, and `run --cidfile` refuses to start while it exists.
        let removeCidfile: [ExecWord] = ["/usr/bin/rm", "-f", .specifiers("%t/%N.cid")]
        // Our container left over from a crash: only containers carrying the service's label go
        // (podman 4.3 `rm --filter`), so a foreign container of the same name is never touched.
        let removeLeftover: [ExecWord] = [
            .literal(runtime.executable), "rm", "-v", "-f", "--filter", .literal("label=\(ownerLabel(service))"),
        ]
        return [
            "Type=notify",
            "NotifyAccess=all",
            "Delegate=yes",
            "KillMode=mixed",
            "Environment=PODMAN_SYSTEMD_UNIT=%n",
        ] + secretEnvironment(service) + [
            "ExecStartPre=-\(SystemdEscaping.execLine(removeLeftover))",
            "ExecStartPre=-\(SystemdEscaping.execLine(removeCidfile))",
        ] + secretStart(service) + [
            "ExecStart=\(SystemdEscaping.execLine(run))"
        ] + reloadLines(service) + [
            "ExecStop=\(SystemdEscaping.execLine(remove))",
            "ExecStopPost=-\(SystemdEscaping.execLine(remove))",
            "ExecStopPost=-\(SystemdEscaping.execLine(removeCidfile))",
        ] + secretStop(service)
    }

    private func dockerService(_ service: ServiceSpec, image: String) -> [String] {
        let docker = ExecWord.literal(runtime.executable)
        let name = ExecWord.literal(service.name)
        var run: [ExecWord] = [
            docker, "run",
            "--name", name,
            "--rm",
            "--pull=never",
            "--label", .literal(ownerLabel(service)),
        ]
        run += containerOptions(service).map(ExecWord.literal)
        run.append(.literal(image))
        run += service.command.map(ExecWord.literal)
        let pruneLeftover: [ExecWord] = [
            docker, "container", "prune", "--force", "--filter", .literal("label=\(ownerLabel(service))"),
        ]
        return ["Type=exec"] + secretEnvironment(service) + [
            // A stopped container left over from a crash would make `docker run --name` fail. docker
            // cannot remove by label (`rm` takes no filter), so only stopped ones carrying our label
            // go; `rm -f NAME` would also remove a container someone else made with that name.
            "ExecStartPre=-\(SystemdEscaping.execLine(pruneLeftover))"
        ] + secretStart(service) + [
            "ExecStart=\(SystemdEscaping.execLine(run))"
        ] + reloadLines(service) + [
            "ExecStop=\(SystemdEscaping.execLine([docker, "stop", "--time", "10", name]))"
        ] + secretStop(service)
    }

    /// `io.reconciler.service=NAME`.
    private func ownerLabel(_ service: ServiceSpec) -> String { "\(Self.ownerLabel)=\(service.name)" }

    /// Options both engines understand, in a fixed order so output is deterministic.
    private func containerOptions(_ service: ServiceSpec) -> [String] {
        var options: [String] = []
        if service.network == .host {
            options += ["--network", "host"]
        }
        if let user = service.user {
            options += ["--user", user]
        }
        for port in service.ports {
            options += ["--publish", port.publishArgument]
        }
        for volume in service.volumes {
            options += ["--volume", volume.volumeArgument]
        }
        options += secretOptions(service)
        options += fileOptions(service)
        for file in service.environmentFiles {
            options += ["--env-file", file]
        }
        for key in service.environment.keys.sorted() {
            options += ["--env", "\(key)=\(service.environment[key] ?? "")"]
        }
        return options
    }
}
