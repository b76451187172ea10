import Foundation
import Testing

/// `fleet.reports` on real hosts: the desired state is served read-only, the reports by a
/// second git daemon that takes pushes and logs every request through its access hook. The
/// canary's report opens ring 1's gate from the reports repository, the desired-state
/// repository never gets a report, and runs with nothing new never contact the reports one.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ReportsRepositoryEndToEndTests {
    static let desiredPort = 8320
    static let reportsPort = 8321
    static let servicePort = 8322
    static let soak = 5

    static let web = [
        "desired-state/web.yaml": """
        apiVersion: reconciler/v1
        kind: Service
        name: web
        image: {ref: "docker.io/library/python:3.11-slim"}
        command: ["python3", "-m", "http.server", "\(servicePort)"]
        ports: ["\(servicePort):\(servicePort)"]
        health: {http: "http://127.0.0.1:\(servicePort)/", timeout: 20s}

        """
    ]

    static func configure(_ host: TestHost, ring: Int) throws {
        let gateway = RingsEndToEndTests.gateway(host)
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            """
            repository:
              url: git://\(gateway):\(desiredPort)/fleet.git
            host:
              name: \(host.name)
            fleet:
              ring: \(ring)
              promote: {after: 1, soak: \(soak)s}
              reports: {url: 'git://\(gateway):\(reportsPort)/reports.git'}

            """)
    }

    /// git daemon on `port`; with `accessLog`, an access hook appends "service path" per request.
    static func startDaemon(
        _ server: RingsEndToEndTests.Server, port: Int, receivePack: Bool, listen: [String], accessLog: String?
    ) throws {
        let pidFile = server.root + "/daemon-\(port).pid"
        var arguments = [
            "daemon", "--detach", "--reuseaddr", "--export-all", "--base-path=\(server.root)/served",
            "--port=\(port)", "--pid-file=\(pidFile)", "--enable=upload-pack",
        ]
        if receivePack { arguments.append("--enable=receive-pack") }
        if let accessLog {
            let hook = server.root + "/access-hook"
            try "#!/bin/sh\necho \"$1 $2\" >> '\(accessLog)'\nexit 0\n".write(
                toFile: hook, atomically: true, encoding: .utf8)
            chmod(hook, 0o755)
            arguments.append("--access-hook=\(hook)")
        }
        arguments += listen.map { "--listen=\($0)" }
        let result = try Command.run("/usr/bin/git", arguments + ["\(server.root)/served"])
        guard result.status == 0 else { throw TestbedError(message: "git daemon failed: \(result)") }
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: pidFile) { usleep(100_000) }
        server.pids.append(try String(contentsOfFile: pidFile, encoding: .utf8).trimmed)
    }

    static func requests(_ log: String) -> [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static func fleetRefs(_ server: RingsEndToEndTests.Server, _ bare: String) throws -> String {
        try Command.run("/usr/bin/git", ["--git-dir", bare, "for-each-ref", "refs/reconciler"]).stdout
    }

    @Test(.timeLimit(.minutes(60)))
    func reportsGoToTheirOwnRepositoryAndIdleRunsNeverContactIt() throws {
        let canary = try TestHost.bootFresh("e2e-frep0")
        let follower = try TestHost.bootFresh("e2e-frep1")
        let server = RingsEndToEndTests.Server()
        defer { server.stop() }
        try server.write(Self.web)
        let reportsBare = server.root + "/served/reports.git"
        _ = try Command.run("/usr/bin/git", ["init", "-q", "-b", "main", server.work])
        _ = try Command.run("/usr/bin/git", ["init", "-q", "--bare", "-b", "main", server.bare])
        _ = try Command.run("/usr/bin/git", ["init", "-q", "--bare", "-b", "main", reportsBare])
        let first = try server.commit("Serve web")
        let gateways = [canary, follower].map(RingsEndToEndTests.gateway)
        let accessLog = server.root + "/reports-access.log"
        try Self.startDaemon(server, port: Self.desiredPort, receivePack: false, listen: gateways, accessLog: nil)
        try Self.startDaemon(
            server, port: Self.reportsPort, receivePack: true, listen: gateways, accessLog: accessLog)
        try Self.configure(canary, ring: 0)
        try Self.configure(follower, ring: 1)

        // Ring 1 waits, reading the gate from the reports repository; the canary converges and reports there.
        let early = try follower.once()
        #expect(early.stdout.contains("ring gate"), "\(early)")
        let canaryRun = try canary.once()
        #expect(canaryRun.status == 0, "\(canaryRun)")
        #expect(try Self.fleetRefs(server, reportsBare).contains("refs/reconciler/hosts/e2e-frep0/applied"))
        #expect(try Self.fleetRefs(server, server.bare).isEmpty, "the desired-state repository gets no reports")

        sleep(UInt32(Self.soak + 1))
        let opened = try follower.once()
        #expect(opened.status == 0, "\(opened)")
        #expect(try RingsEndToEndTests.applied(follower) == first)
        let hosts = try RingsEndToEndTests.fleet(follower)
        #expect(Set(hosts.keys) == ["e2e-frep0", "e2e-frep1"])
        #expect(hosts["e2e-frep1"]?["applied"] as? String == first)

        // Runs with nothing new: the reports repository is not contacted at all.
        let before = Self.requests(accessLog)
        for _ in 0..<2 {
            #expect(try canary.once().status == 0)
            #expect(try follower.once().status == 0)
        }
        let after = Self.requests(accessLog)
        #expect(after == before, "idle runs contacted the reports repository: \(after.dropFirst(before.count))")
        print("reports repository requests over the whole test: \(after.count): \(after)")

        for host in [canary, follower] { try host.stop() }
    }
}
