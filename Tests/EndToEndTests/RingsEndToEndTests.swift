import Foundation
import Testing

/// Three hosts follow one repository served by git daemon on the test machine: a canary in
/// ring 0, two hosts in ring 1 (one of which may not push). A commit reaches ring 1 only once
/// the canary reports it healthy for the soak time; a failing commit stops at the canary and
/// `fleet` shows where; the host whose push is refused converges all the same.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct RingsEndToEndTests {
    /// Pushes allowed on this port, refused (no receive-pack) on the next.
    static let openPort = 8300
    static let readOnlyPort = 8301
    static let servicePort = 8302
    static let soak = 10

    /// The machine's side: a work repository and the bare one both daemons serve.
    final class Server {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-ring-\(UUID().uuidString)").path
        var work: String { root + "/work" }
        var bare: String { root + "/served/fleet.git" }
        var pids: [String] = []

        func git(_ arguments: String...) throws -> String {
            let result = try Command.run(
                "/usr/bin/env",
                [
                    "GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.org", "GIT_COMMITTER_NAME=Ada",
                    "GIT_COMMITTER_EMAIL=ada@example.org", "git", "-C", work,
                ] + arguments)
            guard result.status == 0 else {
                throw TestbedError(message: "git \(arguments.joined(separator: " ")) failed: \(result)")
            }
            return result.stdout.trimmed
        }

        func write(_ files: [String: String]) throws {
            for (path, text) in files {
                let file = work + "/" + path
                try FileManager.default.createDirectory(
                    atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: file, atomically: true, encoding: .utf8)
            }
        }

        /// Commits everything and pushes it to the served repository.
        func commit(_ message: String) throws -> String {
            _ = try git("add", "-A")
            _ = try git("commit", "-q", "--allow-empty", "-m", message)
            _ = try git("push", "-q", bare, "main")
            return try git("rev-parse", "HEAD")
        }

        /// git daemon on `port`, listening on the hosts' gateway addresses.
        func startDaemon(port: Int, receivePack: Bool, listen: [String]) throws {
            let pidFile = root + "/daemon-\(port).pid"
            var arguments = [
                "daemon", "--detach", "--reuseaddr", "--export-all", "--base-path=\(root)/served", "--port=\(port)",
                "--pid-file=\(pidFile)", "--enable=upload-pack",
            ]
            if receivePack { arguments.append("--enable=receive-pack") }
            arguments += listen.map { "--listen=\($0)" }
            let result = try Command.run("/usr/bin/git", arguments + ["\(root)/served"])
            guard result.status == 0 else { throw TestbedError(message: "git daemon failed: \(result)") }
            for _ in 0..<50 where !FileManager.default.fileExists(atPath: pidFile) { usleep(100_000) }
            pids.append(try String(contentsOfFile: pidFile, encoding: .utf8).trimmed)
        }

        func stop() {
            for pid in pids { if let number = Int32(pid) { kill(number, SIGTERM) } }
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    /// The host's gateway on the machine: 10.231.N.1 for a host at 10.231.N.2.
    static func gateway(_ host: TestHost) -> String {
        var parts = host.address.split(separator: ".").map(String.init)
        parts[3] = "1"
        return parts.joined(separator: ".")
    }

    static func configure(_ host: TestHost, port: Int, ring: Int) throws {
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            """
            repository:
              url: git://\(gateway(host)):\(port)/fleet.git
            host:
              name: \(host.name)
            fleet:
              ring: \(ring)
              promote: {after: 1, soak: \(soak)s}

            """)
    }

    static func web(command: String = "python3\", \"-m\", \"http.server\", \"\(servicePort)") -> [String: String] {
        [
            "desired-state/web.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: web
            image: {ref: "docker.io/library/python:3.11-slim"}
            command: ["\(command)"]
            ports: ["\(servicePort):\(servicePort)"]
            health: {http: "http://127.0.0.1:\(servicePort)/", timeout: 20s}

            """
        ]
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func applied(_ host: TestHost) throws -> String? {
        let status = try json(try host.mustExec("reconciler", "status", "--output", "json"))
        return (status["applied"] as? [String: Any])?["commit"] as? String
    }

    static func fleet(_ host: TestHost) throws -> [String: [String: Any]] {
        let view = try json(try host.mustExec("reconciler", "fleet", "--output", "json"))
        let hosts = view["hosts"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: hosts.map { ($0["host"] as? String ?? "", $0) })
    }

    @Test(.timeLimit(.minutes(60)))
    func aCommitReachesRing1OnlyAfterRing0IsHealthyAndAFailingOneStopsAtRing0() throws {
        let canary = try TestHost.bootFresh("e2e-ring0")
        let follower = try TestHost.bootFresh("e2e-ring1a")
        let mute = try TestHost.bootFresh("e2e-ring1b")
        let server = Server()
        defer { server.stop() }
        try server.write(Self.web())
        _ = try Command.run("/usr/bin/git", ["init", "-q", "-b", "main", server.work])
        _ = try Command.run("/usr/bin/git", ["init", "-q", "--bare", "-b", "main", server.bare])
        let first = try server.commit("Serve web")
        let gateways = [canary, follower, mute].map(Self.gateway)
        try server.startDaemon(port: Self.openPort, receivePack: true, listen: gateways)
        try server.startDaemon(port: Self.readOnlyPort, receivePack: false, listen: gateways)
        try Self.configure(canary, port: Self.openPort, ring: 0)
        try Self.configure(follower, port: Self.openPort, ring: 1)
        try Self.configure(mute, port: Self.readOnlyPort, ring: 1)

        // Ring 1 waits while nothing is healthy in ring 0.
        let early = try follower.once()
        #expect(early.status == 0, "\(early)")
        #expect(early.stdout.contains("ring gate"), "\(early)")
        #expect(try Self.applied(follower) == nil)

        // The canary converges and reports; ring 1 still waits for the soak.
        let canaryRun = try canary.once()
        #expect(canaryRun.status == 0, "\(canaryRun)")
        let soaking = try follower.once()
        #expect(soaking.stdout.contains("soaking: e2e-ring0"), "\(soaking)")
        #expect(try Self.applied(follower) == nil)
        let waitingStatus = try follower.mustExec("reconciler", "status")
        #expect(waitingStatus.contains("waiting:"), "\(waitingStatus)")

        // After the soak the gate opens for both ring-1 hosts; the one that may not push converges too.
        sleep(UInt32(Self.soak + 1))
        #expect(try follower.once().status == 0)
        #expect(try Self.applied(follower) == first)
        let muteRun = try mute.once()
        #expect(muteRun.status == 0, "\(muteRun)")
        #expect(try Self.applied(mute) == first)
        let muteStatus = try mute.mustExec("reconciler", "status")
        #expect(muteStatus.contains("push failed"), "\(muteStatus)")

        var hosts = try Self.fleet(follower)
        #expect(Set(hosts.keys) == ["e2e-ring0", "e2e-ring1a"], "the host whose pushes are refused is not listed")
        #expect(hosts["e2e-ring0"]?["healthy"] as? String == first)
        #expect(hosts["e2e-ring1a"]?["applied"] as? String == first)
        #expect(hosts["e2e-ring1a"]?["behind"] as? Int == 0)
        #expect(hosts["e2e-ring1a"]?["ring"] as? Int == 1)

        // A commit whose service cannot start: the canary rolls back and quarantines it.
        try server.write(Self.web(command: "/usr/bin/no-such-program"))
        let bad = try server.commit("Run a program the image lacks")
        let failed = try canary.once()
        #expect(failed.status == 1, "\(failed)")
        sleep(UInt32(Self.soak + 1))
        let held = try follower.once()
        #expect(held.status == 0, "\(held)")
        #expect(held.stdout.contains("quarantined on e2e-ring0"), "\(held)")
        #expect(try Self.applied(follower) == first)
        #expect(try follower.mustExec("systemctl", "is-active", "web.service").trimmed == "active")

        hosts = try Self.fleet(follower)
        #expect(hosts["e2e-ring0"]?["quarantined"] as? [String] == [bad])
        #expect(hosts["e2e-ring1a"]?["waiting"] as? String == bad)
        #expect(hosts["e2e-ring1a"]?["stoppedBy"] as? String == "e2e-ring0")
        #expect(hosts["e2e-ring1a"]?["behind"] as? Int == 1)
        let text = try follower.mustExec("reconciler", "fleet")
        #expect(text.contains("\(bad.prefix(12)) stopped: quarantined on e2e-ring0"), "\(text)")

        // A fix supersedes it: the canary takes it at once, ring 1 after the soak.
        try server.write(Self.web())
        let fixed = try server.commit("Serve web again")
        #expect(try canary.once().status == 0)
        #expect(try follower.once().stdout.contains("ring gate"))
        #expect(try Self.applied(follower) == first)
        sleep(UInt32(Self.soak + 1))
        #expect(try follower.once().status == 0)
        #expect(try Self.applied(follower) == fixed)
        hosts = try Self.fleet(canary)
        #expect(hosts["e2e-ring1a"]?["waiting"] is NSNull, "\(String(describing: hosts["e2e-ring1a"]))")
        #expect(hosts["e2e-ring1a"]?["applied"] as? String == fixed)

        for host in [canary, follower, mute] { try host.stop() }
    }
}
