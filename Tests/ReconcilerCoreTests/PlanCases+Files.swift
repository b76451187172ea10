import ReconcilerCore

/// Files from git (`files:`) and the reload a change to them alone asks for.
extension PlanCase {
    private typealias Fixtures = PlanningFixtures

    static let caddyfile = "localhost:80 {\n\trespond \"hello\"\n}\n"
    static let changedCaddyfile = "localhost:80 {\n\trespond \"hello again\"\n}\n"

    /// A proxy reading /etc/caddy/Caddyfile (and, when asked, a second file beside it).
    static func proxy(
        caddyfile: String = caddyfile, reload: Bool = true, headers: String? = nil, environment: [String: String] = [:]
    ) -> ServiceSpec {
        var proxy = Fixtures.pulled("proxy", "localhost/caddy:2.6")
        proxy.environment = environment
        proxy.files = [
            ConfigFile(
                source: "desired-state/proxy/Caddyfile", target: "/etc/caddy/Caddyfile", contents: Array(caddyfile.utf8)
            )
        ]
        if let headers {
            proxy.files.append(
                ConfigFile(
                    source: "desired-state/proxy/headers", target: "/etc/caddy/headers", mode: 0o640,
                    contents: Array(headers.utf8)))
        }
        if reload { proxy.reload = ["caddy", "reload", "--config", "/etc/caddy/Caddyfile"] }
        return proxy
    }

    /// The host converged on `before`, planned against `after` (from the second commit).
    private static func change(_ name: String, from before: ServiceSpec, to after: ServiceSpec) -> PlanCase {
        let old = Fixtures.host(services: [before])
        return PlanCase(
            name: name, desired: Fixtures.host(services: [after], commit: Fixtures.secondCommit),
            observed: Fixtures.converged(old), inventory: Fixtures.inventory(old))
    }

    /// Only the Caddyfile changed and the proxy says how it reloads: reload, never restart.
    static let fileChangedReloads = change(
        "file-changed-reloads", from: proxy(), to: proxy(caddyfile: changedCaddyfile))

    /// Without `reload:` the unit has no ExecReload=: the new file needs a restart.
    static let fileChangedWithoutReloadRestarts = change(
        "file-changed-without-reload-restarts", from: proxy(reload: false),
        to: proxy(caddyfile: changedCaddyfile, reload: false))

    /// The unit changed (an environment variable), the file did not: restart as always.
    static let unitChangedRestarts = change(
        "unit-changed-restarts", from: proxy(), to: proxy(environment: ["LOG": "debug"]))

    /// Both changed: the file is written first, the unit restarted once (which reads the file).
    static let fileAndUnitChangedRestartOnce = change(
        "file-and-unit-changed-restart-once", from: proxy(),
        to: proxy(caddyfile: changedCaddyfile, environment: ["LOG": "debug"]))

    /// One of two files in the same directory left git: the mount stays, the file goes, reload.
    static let fileRemovedReloads = change(
        "file-removed-reloads", from: proxy(headers: "X-Frame-Options DENY\n"), to: proxy())

    /// A commit removed the proxy: its files go with its unit.
    static let serviceWithFilesRemoved: PlanCase = {
        let before = Fixtures.host(services: [Fixtures.blog, proxy()])
        let after = Fixtures.host(services: [Fixtures.blog], commit: Fixtures.secondCommit)
        return PlanCase(
            name: "service-with-files-removed", desired: after, observed: Fixtures.converged(before),
            inventory: Fixtures.inventory(before))
    }()

    /// Someone ran chmod on the host: the file is written again with the mode git asks for.
    static let fileModeChanged: PlanCase = {
        let desired = Fixtures.host(services: [proxy()])
        var observed = Fixtures.converged(desired)
        let path = ConfigFile.hostDirectory + "/proxy/etc+caddy/Caddyfile"
        observed.files[path]?.mode = 0o666
        return PlanCase(
            name: "file-mode-changed", desired: desired, observed: observed, inventory: Fixtures.inventory(desired))
    }()

    /// A plain `kind: Unit` (Caddy from Debian's package, run by systemd) reading its file from
    /// the reconciler's tree; `ExecReload=` in its text decides reload or restart.
    static func caddyUnit(_ caddyfile: String, execReload: Bool) -> UnitSpec {
        let reload = execReload ? "ExecReload=/usr/bin/python3 \(caddyPath) --reload\n" : ""
        var unit = UnitSpec(
            name: "caddy.service",
            contents: "[Service]\nExecStart=/usr/bin/python3 \(caddyPath)\n\(reload)"
                + "\n[Install]\nWantedBy=multi-user.target\n",
            location: SourceLocation(file: "desired-state/caddy.yaml", line: 1, column: 1))
        unit.files = [
            ConfigFile(
                source: "desired-state/caddy/Caddyfile", target: "/etc/caddy/Caddyfile", contents: Array(caddyfile.utf8)
            )
        ]
        return unit
    }

    static let caddyPath = ConfigFile.hostDirectory + "/unit+caddy.service/etc+caddy/Caddyfile"

    private static func unitChange(_ name: String, execReload: Bool) -> PlanCase {
        let old = Fixtures.host(services: [], units: [caddyUnit(caddyfile, execReload: execReload)])
        let new = Fixtures.host(
            services: [], units: [caddyUnit(changedCaddyfile, execReload: execReload)], commit: Fixtures.secondCommit)
        return PlanCase(
            name: name, desired: new, observed: Fixtures.converged(old), inventory: Fixtures.inventory(old))
    }

    static let plainUnitFileChangedReloads = unitChange("plain-unit-file-changed-reloads", execReload: true)

    static let plainUnitFileChangedWithoutExecReloadRestarts = unitChange(
        "plain-unit-file-changed-without-exec-reload-restarts", execReload: false)

    /// A stopped unit is started, not reloaded: a reload of a stopped unit fails.
    static let fileOfStoppedUnitChanged: PlanCase = {
        let before = Fixtures.host(services: [proxy()])
        var observed = Fixtures.converged(before)
        observed.units["proxy.service"]?.activeState = "inactive"
        observed.units["proxy.service"]?.subState = "dead"
        observed.containers["proxy"] = nil
        return PlanCase(
            name: "file-of-stopped-unit-changed",
            desired: Fixtures.host(services: [proxy(caddyfile: changedCaddyfile)], commit: Fixtures.secondCommit),
            observed: observed, inventory: Fixtures.inventory(before))
    }()
}
