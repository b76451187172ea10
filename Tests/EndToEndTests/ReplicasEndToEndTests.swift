import Foundation
import Testing

/// Replicas on a real host: two instances of one service, each its own unit and container,
/// updated one at a time under a constant load that never finds both down; a release whose
/// second instance fails its health check puts both back; scaling adds and removes instances.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ReplicasEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote

    /// `web` from the preloaded python image, `count` instances on 8201..., `extra` lines added.
    static func web(count: Int = 2, command: String? = nil, health: String = "/", extra: String = "") -> String {
        let ports = (1...count).map { "\"127.0.0.1:\(8200 + $0):8080\"" }.joined(separator: ", ")
        let run = command ?? graceful("python3 -m http.server 8080")
        return """
            apiVersion: reconciler/v1
            kind: Service
            name: web
            image: {ref: "docker.io/library/python:3.11-slim"}
            command: \(run)
            replicas: {count: \(count), ports: [\(ports)]}
            health: {http: "http://127.0.0.1:{port}\(health)", timeout: 30s}
            \(extra)
            """
    }

    /// `script` under a shell that exits on SIGTERM: python as the container's PID 1 ignores
    /// it, so each stop would wait 10 s for SIGKILL, and podman 4.3's unit then fails its next
    /// start once with 219/CGROUP while the killed container's cgroup goes away.
    static func graceful(_ script: String) -> String {
        "[\"sh\", \"-c\", \"trap 'exit 0' TERM; \(script) & wait\"]"
    }

    /// A loop inside the host that asks each instance in turn, every 50 ms, and writes one line
    /// per round: curl's exit status for instance 1 and instance 2 (0: it answered 200), and the time.
    static let loadLoop = """
        while [ ! -e /run/load-stop ]; do
            curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:8201/; a=$?
            curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:8202/; b=$?
            echo "$a $b $(date +%T.%N)" >> /run/load.log
            sleep 0.05
        done
        """

    /// Rounds, rounds where instance 1 / instance 2 / neither answered.
    struct Load: CustomStringConvertible {
        var rounds = 0
        var firstDown = 0
        var secondDown = 0
        var bothDown = 0
        /// The rounds where neither answered, as logged.
        var outages: [String] = []

        var description: String {
            "\(rounds) rounds: instance 1 down in \(firstDown), instance 2 down in \(secondDown), both in \(bothDown)"
                + (outages.isEmpty ? "" : " \(outages)")
        }
    }

    static func startLoad(_ host: TestHost) throws {
        try host.mustExec("rm", "-f", "/run/load-stop", "/run/load.log")
        // From a file: systemd-run would expand the script's $a and $b itself.
        // Copied into the image, not the host's /run tmpfs.
        try host.writeFile("/var/tmp/load.sh", loadLoop)
        try host.mustExec("systemd-run", "--unit=rep-load", "--collect", "/bin/sh", "/var/tmp/load.sh")
    }

    static func stopLoad(_ host: TestHost) throws -> Load {
        try host.mustExec("touch", "/run/load-stop")
        try host.exec("sh", "-c", "while systemctl is-active -q rep-load; do sleep 0.1; done", timeout: 30)
        var load = Load()
        for line in try host.mustExec("cat", "/run/load.log").split(separator: "\n") {
            load.rounds += 1
            let status = line.split(separator: " ")
            let first = status.count > 0 && status[0] == "0"
            let second = status.count > 1 && status[1] == "0"
            if !first { load.firstDown += 1 }
            if !second { load.secondDown += 1 }
            if !first && !second {
                load.bothDown += 1
                load.outages.append(String(line))
            }
        }
        return load
    }

    static func unit(_ host: TestHost, _ name: String) throws -> String {
        try host.mustExec("cat", "/etc/systemd/system/\(name)")
    }

    @Test(.timeLimit(.minutes(60)))
    func rollingUpdatesKeepAnInstanceAnsweringAndAFailedInstanceRollsBothBack() throws {
        let host = try TestHost.bootFresh("e2e-rep")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeRepository(["desired-state/web.yaml": Self.web()], to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")
        let first = try host.once()
        #expect(first.status == 0, "\(first)")
        for port in [8201, 8202] { #expect(try ReleaseSafetyEndToEndTests.serves(host, port: port)) }
        // Each instance is its own container, labelled with its own name.
        let labels = try host.mustExec(
            "podman", "ps", "--format", "{{.Names}} {{index .Labels \"io.reconciler.service\"}}")
        #expect(labels.contains("web-1 web-1") && labels.contains("web-2 web-2"), "\(labels)")

        // A change under load: one instance at a time.
        let instances = ["web-1", "web-2"]
        let startedBefore = try instances.map { try host.containerStartedAt($0) }
        try Self.startLoad(host)
        try host.mustExec("sleep", "2")
        try host.writeFile("\(Self.work)/desired-state/web.yaml", Self.web(extra: "env: {VERSION: \"2\"}"))
        let good = try host.commitAll(work: Self.work, remote: Self.remote, message: "Version 2")
        let rolled = try host.once()
        #expect(rolled.status == 0, "\(rolled)")
        try host.mustExec("sleep", "2")
        let load = try Self.stopLoad(host)
        print("rolling update under load: \(load)")
        #expect(load.bothDown == 0, "\(load)")
        // Both were replaced while the load ran, so the count above measured something.
        let startedAfter = try instances.map { try host.containerStartedAt($0) }
        #expect(zip(startedBefore, startedAfter).allSatisfy { $0 != $1 }, "\(startedBefore) \(startedAfter)")
        #expect(load.rounds > 10, "\(load)")
        let goodUnits = try ["web-1.service", "web-2.service"].map { try Self.unit(host, $0) }
        #expect(goodUnits.allSatisfy { $0.contains("VERSION=2") })

        // Version 3 serves /only-8201, which instance 2's health check never finds.
        let onlyFirst = Self.graceful("mkdir -p /w && touch /w/only-8201 && cd /w && python3 -m http.server 8080")
        try host.writeFile(
            "\(Self.work)/desired-state/web.yaml",
            Self.web(command: onlyFirst, health: "/only-{port}", extra: "env: {VERSION: \"3\"}"))
        let bad = try host.commitAll(work: Self.work, remote: Self.remote, message: "Version 3")
        try Self.startLoad(host)
        let failed = try host.once()
        let startedAfterRollback = try instances.map { try host.containerStartedAt($0) }
        let failedLoad = try Self.stopLoad(host)
        print("failed rolling update under load: \(failedLoad)")
        #expect(failed.status == 1, "\(failed)")
        #expect(failed.stderr.contains("health check of web-2"), "\(failed)")
        #expect(failed.stderr.contains("rolled back to \(good.prefix(12))"), "\(failed)")
        #expect(failedLoad.bothDown == 0, "\(failedLoad)")
        // Both were replaced, then restored: the rollback restarts only what differs from version 2.
        #expect(zip(startedAfter, startedAfterRollback).allSatisfy { $0 != $1 })
        // Both instances run version 2 again, instance 1 included.
        #expect(try ["web-1.service", "web-2.service"].map { try Self.unit(host, $0) } == goodUnits)
        for port in [8201, 8202] { #expect(try ReleaseSafetyEndToEndTests.serves(host, port: port)) }
        #expect(try ReleaseSafetyEndToEndTests.quarantined(host) == [bad])

        // Scaling 2 → 3 → 1.
        try host.writeFile("\(Self.work)/desired-state/web.yaml", Self.web(count: 3, extra: "env: {VERSION: \"2\"}"))
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Three instances")
        let up = try host.once()
        #expect(up.status == 0, "\(up)")
        #expect(try ReleaseSafetyEndToEndTests.serves(host, port: 8203))
        #expect(try host.mustExec("systemctl", "is-active", "web-3.service").trimmed == "active")
        try host.writeFile("\(Self.work)/desired-state/web.yaml", Self.web(count: 1, extra: "env: {VERSION: \"2\"}"))
        try host.commitAll(work: Self.work, remote: Self.remote, message: "One instance")
        let down = try host.once()
        #expect(down.status == 0, "\(down)")
        #expect(try ReleaseSafetyEndToEndTests.serves(host, port: 8201))
        for gone in ["web-2", "web-3"] {
            #expect(try host.exec("test", "-e", "/etc/systemd/system/\(gone).service").status != 0)
            #expect(try host.exec("podman", "container", "exists", gone).status != 0)
        }
        #expect(try host.mustExec("podman", "ps", "--format", "{{.Names}}").trimmed == "web-1")
        try host.stop()
    }
}
