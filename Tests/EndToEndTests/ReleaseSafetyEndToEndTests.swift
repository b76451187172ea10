import Foundation
import Testing

/// Releases on real hosts: a release that fails after changing the host is rolled back (or,
/// on a first deploy, removed) and its commit quarantined; a verification cut short by
/// SIGKILL is finished by the next run; a degraded host is left alone; old images and build
/// contexts do not pile up.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ReleaseSafetyEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote

    /// `web` from the preloaded python image, with `change` applied to its YAML.
    static func web(_ change: (String) -> String = { $0 }) -> String {
        change(ConvergeEndToEndTests.smallServices(["web"])["desired-state/web.yaml"] ?? "")
    }

    /// `web` whose command is not in the image: its start job fails. It publishes another
    /// host port: podman 4.3 sometimes leaves the DNAT rule of a container that failed to
    /// start behind (podman#27516, still open), ahead of the next container's rule for the
    /// same port, which would send the restored release's traffic to a dead address.
    static let webThatCannotStart = web {
        $0.replacingOccurrences(
            of: "command: [\"python3\", \"-m\", \"http.server\", \"8101\"]",
            with: "command: [\"/usr/bin/no-such-program\"]"
        )
        .replacingOccurrences(of: "ports: [\"8101:8101\"]", with: "ports: [\"8109:8101\"]")
    }

    static func statusJSON(_ host: TestHost) throws -> [String: Any] {
        let text = try host.mustExec("reconciler", "status", "--output", "json")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func quarantined(_ host: TestHost) throws -> [String] {
        let list = try statusJSON(host)["quarantined"] as? [[String: Any]] ?? []
        return list.compactMap { $0["commit"] as? String }
    }

    /// The service answers on the host's own port (curl inside the host, retrying while it
    /// starts): what a client on the host gets, whatever the test machine's network does.
    static func serves(_ host: TestHost, port: Int) throws -> Bool {
        try host.exec(
            "curl", "-fsS", "-o", "/dev/null", "--retry", "30", "--retry-connrefused", "--retry-delay", "1",
            "--max-time", "60", "http://127.0.0.1:\(port)/"
        ).status == 0
    }

    static func prepare(_ name: String, files: [String: String]) throws -> TestHost {
        let host = try TestHost.bootFresh(name)
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeRepository(files, to: work)
        try host.initRepository(work: work, remote: remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")
        return host
    }

    @Test(.timeLimit(.minutes(60)))
    func aUnitThatCannotStartIsRolledBackQuarantinedAndOldImagesArePruned() throws {
        let host = try Self.prepare("e2e-release", files: ConvergeEndToEndTests.smallServices(["web"]))
        #expect(try host.once().status == 0)
        let good = try host.git(Self.work, "rev-parse", "HEAD").trimmed
        let goodUnit = try host.mustExec("cat", "/etc/systemd/system/web.service")

        // web's command is missing from the image, and a new service api comes with it.
        try host.writeFile("\(Self.work)/desired-state/web.yaml", Self.webThatCannotStart)
        for (path, text) in ConvergeEndToEndTests.smallServices(["api"], firstPort: 8102) {
            try host.writeFile("\(Self.work)/\(path)", text)
        }
        let bad = try host.commitAll(work: Self.work, remote: Self.remote, message: "Run a program the image lacks")
        let failed = try host.once()
        #expect(failed.status == 1, "\(failed)")
        #expect(failed.stderr.contains("rolled back to \(good.prefix(12))"), "\(failed)")
        // The previous release serves again, and nothing of the failed one is left.
        #expect(try Self.serves(host, port: 8101))
        #expect(try host.mustExec("cat", "/etc/systemd/system/web.service") == goodUnit)
        #expect(try host.exec("test", "-e", "/etc/systemd/system/api.service").status != 0)
        #expect(try host.exec("podman", "container", "exists", "api").status != 0)
        #expect(try Self.quarantined(host) == [bad])
        let release = try Self.statusJSON(host)["release"] as? [String: Any]
        #expect(release?["state"] as? String == "rolled-back", "\(String(describing: release))")
        #expect(try host.mustExec("reconciler", "history").contains("(quarantined)"))

        // The next run changes nothing.
        let startedAt = try host.containerStartedAt("web")
        let next = try host.once()
        #expect(next.status == 0, "\(next)")
        #expect(next.stdout.contains("quarantined"), "\(next)")
        #expect(!next.stdout.contains("converged"), "\(next)")
        #expect(try host.containerStartedAt("web") == startedAt)

        // `retry --no-sync` only releases the commit; the next run tries it, and it fails again.
        let released = try host.exec("reconciler", "retry", "--no-sync", String(bad.prefix(10)))
        #expect(released.status == 0, "\(released)")
        #expect(released.stdout.contains("released from the quarantine"), "\(released)")
        #expect(try Self.quarantined(host).isEmpty)
        #expect(try host.mustExec("cat", "/etc/systemd/system/web.service") == goodUnit)
        let retried = try host.once()
        #expect(retried.status == 1, "\(retried)")
        #expect(try Self.quarantined(host) == [bad])
        #expect(try host.mustExec("cat", "/etc/systemd/system/web.service") == goodUnit)

        // A fixed commit deploys, and clears the quarantine.
        try host.writeFile("\(Self.work)/desired-state/web.yaml", Self.web())
        let fixed = try host.commitAll(work: Self.work, remote: Self.remote, message: "Run the server again")
        let deployed = try host.once()
        #expect(deployed.status == 0, "\(deployed)")
        #expect(deployed.stdout.contains("converged to \(fixed.prefix(12))"))
        #expect(try host.mustExec("systemctl", "is-active", "api.service").trimmed == "active")
        #expect(try Self.quarantined(host).isEmpty)

        // Eight code deploys of a built image: the current one and three healthy releases
        // before it keep their images, and no build context stays on disk.
        try host.writeFile(
            "\(Self.work)/site/Dockerfile",
            "FROM docker.io/library/python:3.11-slim\nCOPY version.txt /version.txt\n")
        try host.writeFile(
            "\(Self.work)/desired-state/site.yaml",
            """
            apiVersion: reconciler/v1
            kind: Service
            name: site
            image:
              build: {context: site, dockerfile: site/Dockerfile}
            command: ["python3", "-m", "http.server", "8103"]
            ports: ["8103:8103"]
            health: {http: "http://127.0.0.1:8103/", timeout: 30s}

            """)
        for version in 1...8 {
            try host.writeFile("\(Self.work)/site/version.txt", "\(version)\n")
            try host.commitAll(work: Self.work, remote: Self.remote, message: "Site \(version)")
            let run = try host.once()
            #expect(run.status == 0, "\(run)")
        }
        let images = try host.mustExec(
            "podman", "images", "--noheading", "--format", "{{.Repository}}:{{.Tag}}", "localhost/reconciler/site"
        ).split(separator: "\n").filter { !$0.isEmpty }
        #expect(images.count == 4, "\(images)")
        let build = try host.exec("sh", "-c", "ls -A /var/lib/reconciler/build 2>/dev/null | wc -l")
        #expect(build.stdout.trimmed == "0", "\(build)")
    }

    @Test(.timeLimit(.minutes(60)))
    func aReleaseKilledWhileItsHealthIsCheckedIsRolledBackByTheNextRun() throws {
        let host = try Self.prepare("e2e-verify", files: ConvergeEndToEndTests.smallServices(["web"]))
        #expect(try host.once().status == 0)
        let good = try host.git(Self.work, "rev-parse", "HEAD").trimmed

        // Listens on a port its health check does not probe: the check can never pass.
        try host.writeFile(
            "\(Self.work)/desired-state/web.yaml",
            Self.web {
                $0.replacingOccurrences(of: "\"http.server\", \"8101\"", with: "\"http.server\", \"8199\"")
                    .replacingOccurrences(of: "timeout: 30s", with: "timeout: 20s")
            })
        let bad = try host.commitAll(work: Self.work, remote: Self.remote, message: "Listen on the wrong port")
        let killer = """
            reconciler once --log-target journal >/dev/null 2>&1 & run=$!
            for _ in $(seq 1 600); do
                reconciler status --output json 2>/dev/null | grep -q '"verifying"' && break
                sleep 0.05
            done
            kill -KILL $run; wait $run; echo "status=$?"
            """
        let killed = try host.mustExec("sh", "-c", killer)
        #expect(killed.contains("status=137"), "the run ended before it was killed: \(killed)")
        let release = try Self.statusJSON(host)["release"] as? [String: Any]
        #expect(release?["state"] as? String == "verifying", "\(String(describing: release))")

        let next = try host.once()
        #expect(next.status == 1, "\(next)")
        #expect(next.stderr.contains("rolled back to \(good.prefix(12))"), "\(next)")
        #expect(try host.mustExec("cat", "/etc/systemd/system/web.service").contains("8101"))
        #expect(try Self.serves(host, port: 8101))
        #expect(try Self.quarantined(host) == [bad])
    }

    @Test(.timeLimit(.minutes(60)))
    func aFirstDeployThatFailsLeavesTheHostAsItWas() throws {
        let host = try Self.prepare("e2e-first", files: ["desired-state/web.yaml": Self.webThatCannotStart])
        let unitsBefore = try host.mustExec("ls", "-A", "/etc/systemd/system")
        let containersBefore = try host.mustExec("podman", "ps", "-a", "--format", "{{.Names}}")

        let failed = try host.once()

        #expect(failed.status == 1, "\(failed)")
        #expect(failed.stderr.contains("no earlier release was healthy"), "\(failed)")
        #expect(try host.mustExec("ls", "-A", "/etc/systemd/system") == unitsBefore)
        #expect(try host.mustExec("podman", "ps", "-a", "--format", "{{.Names}}") == containersBefore)
        #expect(try host.exec("systemctl", "is-failed", "web.service").stdout.trimmed != "failed")
        let status = try Self.statusJSON(host)
        #expect((status["units"] as? [Any])?.isEmpty == true, "\(status)")
        #expect(try Self.quarantined(host).count == 1)
        #expect(try host.once().status == 0, "a quarantined first release is not tried again")
        #expect(try host.mustExec("ls", "-A", "/etc/systemd/system") == unitsBefore)
    }

    @Test(.timeLimit(.minutes(60)))
    func aHostWhoseRestoredReleaseIsUnhealthyIsLeftAloneAcrossPolls() throws {
        // web serves /srv/www from the host; its health check asks for /srv/www/ok.
        let served = Self.web {
            $0.replacingOccurrences(
                of: "\"http.server\", \"8101\"]", with: "\"http.server\", \"8101\", \"--directory\", \"/srv/www\"]"
            )
            .replacingOccurrences(of: "http://127.0.0.1:8101/", with: "http://127.0.0.1:8101/ok")
            .replacingOccurrences(of: "timeout: 30s", with: "timeout: 8s")
            .replacingOccurrences(of: "restart: always", with: "restart: always\nvolumes: [\"/srv/www:/srv/www:ro\"]")
        }
        let host = try Self.prepare("e2e-degrade", files: ["desired-state/web.yaml": served])
        try host.writeFile("/srv/www/ok", "ok\n")
        #expect(try host.once().status == 0)
        let good = try host.git(Self.work, "rev-parse", "HEAD").trimmed

        // Now nothing can be healthy: a new release fails, and so does the one it restores.
        try host.mustExec("rm", "/srv/www/ok")
        try host.writeFile(
            "\(Self.work)/desired-state/web.yaml",
            served.replacingOccurrences(of: "restart: always", with: "restart: always\nenv: {RELEASE: \"2\"}"))
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Release 2")
        var statuses: [Int32] = []
        var startedAt: [String] = []
        for _ in 0..<6 {
            statuses.append(try host.once().status)
            startedAt.append(try host.containerStartedAt("web"))
        }

        #expect(statuses == [1, 1, 1, 1, 1, 1], "a degraded host is reported as such by every run")
        #expect(Set(startedAt).count == 1, "nothing was restarted after the rollback: \(startedAt)")
        let restarts = try host.journalEntries(
            "-t", "reconciler", "RECONCILER_ACTION=restart", "RECONCILER_SERVICE=web")
        #expect(restarts.count == 2, "one deploy and one rollback: \(restarts.map { $0["MESSAGE"] ?? "" })")
        let degraded = try Self.statusJSON(host)["degraded"] as? [String: Any]
        #expect((degraded?["message"] as? String)?.contains(good.prefix(12)) == true, "\(String(describing: degraded))")
        #expect(try host.mustExec("cat", "/etc/systemd/system/web.service").contains("RELEASE") == false)
        // diff reports the failing check as drift.
        let drift = try host.diff()
        #expect(drift.status == 1, "\(drift)")
        #expect(drift.stdout.contains("unhealthy: web: "), "\(drift)")

        // The cause was outside git: once it is fixed, a retry deploys the quarantined commit.
        try host.writeFile("/srv/www/ok", "ok\n")
        let retry = try host.exec("reconciler", "retry", "--log-target", "journal", timeout: 600)
        #expect(retry.status == 0, "\(retry)")
        #expect(retry.stdout.contains("released from the quarantine"), "\(retry)")
        #expect(try host.mustExec("cat", "/etc/systemd/system/web.service").contains("RELEASE=2"))
        let after = try Self.statusJSON(host)
        #expect(after["degraded"] is NSNull, "\(after)")
        #expect(try Self.quarantined(host).isEmpty)
        #expect((after["release"] as? [String: Any])?["state"] as? String == "healthy", "\(after)")
        #expect(try host.mustExec("reconciler", "history", "-n", "1").contains("  retry  "))
    }
}
