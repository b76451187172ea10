import Foundation
import Testing

/// `reconciler once` and `reconciler diff` on real hosts, with the repository's own blog
/// (desired-state/blog.yaml, Dockerfile, app/) served from a git remote in the host.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ConvergeEndToEndTests {
    static let work = "/srv/work"
    static let remote = "/srv/desired.git"

    /// The host config every test writes: the local bare repository as the remote.
    static func configure(_ host: TestHost, name: String) throws {
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            """
            repository:
              url: \(remote)
            host:
              name: \(name)

            """)
    }

    @Test(.timeLimit(.minutes(60)))
    func theBlogIsDeployedByACommitAndOnlyChangesRestartIt() throws {
        let host = try TestHost.bootFresh("e2e-once")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.copyRepository(to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try Self.configure(host, name: "web1")
        let url = "http://\(host.address):8080"

        // A fresh host: one `once` builds the image, writes and starts the units.
        let first = try host.once()
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("build-image localhost/reconciler/blog:"))
        #expect(try HTTPProbe.waitForOK("\(url)/healthz", timeout: 60) == "ok")
        let inSync = try host.diff()
        #expect(inSync.status == 0, "\(inSync)")
        #expect(inSync.stdout.contains("in sync"))
        let firstImage = try host.mustExec("podman", "container", "inspect", "--format", "{{.ImageName}}", "blog")
            .trimmed

        // Nothing changed: nothing is done, and the container keeps running as it was.
        let startedAt = try host.containerStartedAt("blog")
        let again = try host.once()
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("in sync"))
        #expect(try host.containerStartedAt("blog") == startedAt)

        // The app changes: the image is rebuilt and only the blog restarts.
        let backupTimerSince = try host.mustExec(
            "systemctl", "show", "--property=ActiveEnterTimestampMonotonic", "blog-backup.timer"
        ).trimmed
        try host.mustExec(
            "sed", "-i",
            "s|<h1><a href=\"{{ url_for('index') }}\">Flaskr</a></h1>|<h1><a href=\"{{ url_for('index') }}\">Flaskr, deployed by a commit</a></h1>|",
            "\(Self.work)/app/flaskr/templates/base.html")
        let changed = try host.commitAll(work: Self.work, remote: Self.remote, message: "Say how it was deployed")
        let third = try host.once()
        #expect(third.status == 0, "\(third)")
        #expect(third.stdout.contains("converged to \(changed.prefix(12))"))
        #expect(third.stdout.contains("build-image"))
        #expect(third.stdout.contains("restart blog.service"))
        #expect(!third.stdout.contains("blog-backup"))
        #expect(try HTTPProbe.waitForOK("\(url)/healthz", timeout: 60) == "ok")
        #expect(try BlogClient(baseURL: url).index().contains("Flaskr, deployed by a commit"))
        #expect(try host.containerStartedAt("blog") != startedAt)
        // The previous image stays, for a rollback.
        #expect(try host.exec("podman", "image", "exists", firstImage).status == 0)
        #expect(
            try host.mustExec(
                "systemctl", "show", "--property=ActiveEnterTimestampMonotonic", "blog-backup.timer"
            ).trimmed == backupTimerSince)

        // Every action is in the journal with the service, action and commit as fields.
        let entries = try host.journalEntries("-t", "reconciler", "RECONCILER_SERVICE=blog")
        #expect(
            entries.contains {
                $0["RECONCILER_ACTION"] as? String == "restart" && $0["RECONCILER_COMMIT"] as? String == changed
            })
        #expect(entries.contains { $0["RECONCILER_ACTION"] as? String == "build-image" })
    }

    /// Two small services from a preloaded image: quick to start, enough to show drift.
    static func smallServices(_ names: [String], restart: String = "always", firstPort: Int = 8101) -> [String: String]
    {
        var files: [String: String] = [:]
        for (index, name) in names.enumerated() {
            let port = firstPort + index
            files["desired-state/\(name).yaml"] = """
                apiVersion: reconciler/v1
                kind: Service
                name: \(name)
                image: {ref: "docker.io/library/python:3.11-slim"}
                command: ["python3", "-m", "http.server", "\(port)"]
                ports: ["\(port):\(port)"]
                restart: \(restart)
                health: {http: "http://127.0.0.1:\(port)/", timeout: 30s}

                """
        }
        return files
    }

    @Test(.timeLimit(.minutes(60)))
    func driftIsShownByDiffAndHealedByOnceAndForeignUnitsAreLeftAlone() throws {
        let host = try TestHost.bootFresh("e2e-drift")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler", "/etc/systemd/system/web.service")
        try host.writeRepository(Self.smallServices(["web", "api"], restart: "no"), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try Self.configure(host, name: "web1")
        // A unit of the host's own, not in git.
        try host.writeFile(
            "/etc/systemd/system/foreign.service",
            "[Unit]\nDescription=Not ours\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n"
        )
        try host.mustExec("systemctl", "daemon-reload")
        try host.mustExec("systemctl", "start", "foreign.service")
        let foreignFile = try host.mustExec("cat", "/etc/systemd/system/foreign.service")

        let first = try host.once()
        #expect(first.status == 0, "\(first)")
        #expect(try host.diff().status == 0)

        // Stopped by hand.
        try host.mustExec("systemctl", "stop", "web.service")
        let stopped = try host.diff()
        #expect(stopped.status == 1, "\(stopped)")
        #expect(stopped.stdout.contains("start web.service"))
        #expect(try host.once().status == 0)
        #expect(try host.mustExec("systemctl", "is-active", "web.service").trimmed == "active")

        // Edited by hand.
        try host.mustExec(
            "sed", "-i", "s/^Description=.*/Description=edited on the host/", "/etc/systemd/system/web.service")
        let edited = try host.diff()
        #expect(edited.status == 1, "\(edited)")
        #expect(edited.stdout.contains("-Description=edited on the host"))
        #expect(try host.once().status == 0)
        #expect(try !host.mustExec("cat", "/etc/systemd/system/web.service").contains("edited on the host"))

        // Container removed behind systemd's back.
        try host.mustExec("podman", "rm", "-f", "api")
        let removed = try host.diff()
        #expect(removed.status == 1, "\(removed)")
        #expect(try host.once().status == 0)
        #expect(
            try host.mustExec("podman", "container", "inspect", "--format", "{{.State.Running}}", "api").trimmed
                == "true")
        #expect(try host.diff().status == 0)

        // The foreign unit was never reported nor touched.
        #expect(try host.mustExec("cat", "/etc/systemd/system/foreign.service") == foreignFile)
        #expect(try host.mustExec("systemctl", "is-active", "foreign.service").trimmed == "active")

        // A desired unit named like the foreign one is refused, and nothing changes.
        try host.writeFile(
            "\(Self.work)/desired-state/foreign.yaml",
            Self.smallServices(["foreign"], firstPort: 8150)["desired-state/foreign.yaml"] ?? "")
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Clash with a host unit")
        let clash = try host.once()
        #expect(clash.status == 1, "\(clash)")
        #expect(clash.stderr.contains("foreign.service"))
        #expect(clash.stderr.contains("nothing was changed"))
        #expect(try host.mustExec("cat", "/etc/systemd/system/foreign.service") == foreignFile)
    }

    @Test(.timeLimit(.minutes(60)))
    func aServiceLeavingGitIsRemovedAndRemovingEverythingNeedsConsent() throws {
        let host = try TestHost.bootFresh("e2e-prune")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeRepository(Self.smallServices(["web", "api"]), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try Self.configure(host, name: "web1")
        #expect(try host.once().status == 0)
        let webStarted = try host.containerStartedAt("web")

        try host.mustExec("rm", "\(Self.work)/desired-state/api.yaml")
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Retire api")
        let pruned = try host.once()
        #expect(pruned.status == 0, "\(pruned)")
        #expect(pruned.stdout.contains("stop api.service"))
        #expect(pruned.stdout.contains("remove-unit api.service"))
        #expect(!pruned.stdout.contains("web.service"))
        #expect(try host.exec("test", "-e", "/etc/systemd/system/api.service").status != 0)
        #expect(try host.containerStartedAt("web") == webStarted)

        try host.mustExec("rm", "\(Self.work)/desired-state/web.yaml")
        try host.writeFile("\(Self.work)/desired-state/README", "nothing here any more\n")
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Retire everything")
        let refused = try host.once()
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("every unit"))
        #expect(try host.mustExec("systemctl", "is-active", "web.service").trimmed == "active")

        let allowed = try host.once("--allow-empty")
        #expect(allowed.status == 0, "\(allowed)")
        #expect(try host.exec("test", "-e", "/etc/systemd/system/web.service").status != 0)
    }
}
