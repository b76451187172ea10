import Foundation
import Testing

/// `reconciler run` under the repository's own units/reconciler.service, in a real host:
/// commits arrive without any command, SIGHUP syncs at once, a killed or hung agent is
/// restarted and converges, a failing deploy is rolled back, an unreachable remote backs off.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct AgentEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote

    static func waitUntil(_ timeout: TimeInterval, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            usleep(250_000)
        }
        return try condition()
    }

    static func isActive(_ host: TestHost, _ unit: String) -> Bool {
        (try? host.exec("systemctl", "is-active", unit).stdout.trimmed) == "active"
    }

    /// A fresh host whose repository has one service `web`, running the agent under the
    /// repository's own unit file (plus `dropIn`, when given).
    static func hostRunningTheAgent(_ name: String, pollInterval: String, dropIn: String? = nil) throws -> TestHost {
        let host = try TestHost.bootFresh(name)
        try host.writeRepository(ConvergeEndToEndTests.smallServices(["web"]), to: work)
        try host.initRepository(work: work, remote: remote)
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            "repository:\n  url: \(remote)\nhost:\n  name: web1\npollInterval: \(pollInterval)\n")
        try host.copy(
            Testbed.repositoryRoot + "/units/reconciler.service", to: "/etc/systemd/system/reconciler.service")
        if let dropIn { try host.writeFile("/etc/systemd/system/reconciler.service.d/test.conf", dropIn) }
        try host.mustExec("systemctl", "daemon-reload")
        try host.mustExec("systemctl", "start", "reconciler.service", timeout: 120)
        return host
    }

    @Test(.timeLimit(.minutes(60)))
    func theAgentDeploysCommitsHealsItselfAndRollsBackABadRelease() throws {
        let host = try Self.hostRunningTheAgent("e2e-agent", pollInterval: "3s")

        // The first sync deploys without any command on the host.
        #expect(try Self.waitUntil(90) { Self.isActive(host, "web.service") })
        #expect(try HTTPProbe.waitForOK("http://\(host.address):8101/", timeout: 30) != nil)

        // A commit is served within the poll interval plus start time.
        for (path, text) in ConvergeEndToEndTests.smallServices(["api"], firstPort: 8140) {
            try host.writeFile("\(Self.work)/\(path)", text)
        }
        let committed = Date()
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Add api")
        #expect(try Self.waitUntil(60) { Self.isActive(host, "api.service") })
        print("commit to active api.service: \(String(format: "%.1f", Date().timeIntervalSince(committed))) s")

        // SIGHUP (systemctl reload) syncs at once.
        try host.mustExec("systemctl", "reload", "reconciler.service")
        #expect(
            try Self.waitUntil(10) {
                try host.journalEntries("-u", "reconciler.service").contains {
                    ($0["MESSAGE"] as? String) == "sync requested (SIGHUP)"
                }
            })

        // A release whose health check fails is rolled back; the old one keeps serving.
        let good = try host.git(Self.work, "rev-parse", "HEAD").trimmed
        try host.writeFile(
            "\(Self.work)/desired-state/web.yaml",
            ConvergeEndToEndTests.smallServices(["web"])["desired-state/web.yaml"]!
                .replacingOccurrences(of: "\"http.server\", \"8101\"", with: "\"http.server\", \"8199\"")
                .replacingOccurrences(of: "timeout: 30s", with: "timeout: 4s"))
        let bad = try host.commitAll(work: Self.work, remote: Self.remote, message: "Listen on the wrong port")
        #expect(
            try Self.waitUntil(90) {
                try host.journalEntries("-u", "reconciler.service", "RECONCILER_ACTION=rollback").contains {
                    // The line names its commit: "0123456789ab: rolled back".
                    (($0["MESSAGE"] as? String) ?? "").contains("rolled back")
                        && ($0["RECONCILER_COMMIT"] as? String) == bad
                }
            })
        #expect(try HTTPProbe.waitForOK("http://\(host.address):8101/", timeout: 30) != nil)
        #expect(try host.mustExec("cat", "/etc/systemd/system/web.service").contains("8101"))
        let status = try host.mustExec("reconciler", "status", "--output", "json")
        #expect(status.contains(good), "\(status)")
        // The bad commit is not retried: the host stays in sync with the good one.
        usleep(4_000_000)
        #expect(try host.mustExec("cat", "/etc/systemd/system/web.service").contains("8101"))

        // The next good commit deploys normally.
        try host.writeFile(
            "\(Self.work)/desired-state/web.yaml",
            ConvergeEndToEndTests.smallServices(["web"])["desired-state/web.yaml"]!
                .replacingOccurrences(of: "restart: always", with: "restart: always\nenv: {RELEASE: \"3\"}"))
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Fix the port, add a release number")
        #expect(
            try Self.waitUntil(60) {
                try host.mustExec("cat", "/etc/systemd/system/web.service").contains("RELEASE=3")
                    && Self.isActive(host, "web.service")
            })

        // Killed with SIGKILL in the middle of a deploy: systemd restarts it, it converges.
        for (path, text) in ConvergeEndToEndTests.smallServices(["k1", "k2", "k3"], firstPort: 8150) {
            try host.writeFile("\(Self.work)/\(path)", text)
        }
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Three more")
        try host.mustExec("systemctl", "reload", "reconciler.service")
        usleep(700_000)
        let killedPID = try host.mustExec("systemctl", "show", "--value", "--property=MainPID", "reconciler.service")
        // systemctl reports an error about the cgroup inside nspawn even when the kill succeeded.
        try host.exec("systemctl", "kill", "-s", "KILL", "reconciler.service")
        #expect(
            try Self.waitUntil(20) {
                try host.mustExec("systemctl", "show", "--value", "--property=MainPID", "reconciler.service")
                    != killedPID
            })
        #expect(
            try Self.waitUntil(120) {
                ["k1", "k2", "k3"].allSatisfy { Self.isActive(host, "\($0).service") }
                    && Self.isActive(host, "reconciler.service")
            })
        #expect(try !host.mustExec("ls", "-a", "/etc/systemd/system").contains(".reconciler-"))
        #expect(try Self.waitUntil(30) { try host.diff().status == 0 })
    }

    @Test(.timeLimit(.minutes(60)))
    func aHungAgentIsRestartedByTheWatchdogAndAnUnreachableRemoteBacksOff() throws {
        let host = try Self.hostRunningTheAgent(
            "e2e-wdog", pollInterval: "2s", dropIn: "[Service]\nWatchdogSec=3s\nRestartSec=1s\n")
        #expect(try Self.waitUntil(90) { Self.isActive(host, "web.service") })

        // Frozen: no watchdog pings, so systemd kills and restarts it.
        let pid = try host.mustExec("systemctl", "show", "--value", "--property=MainPID", "reconciler.service").trimmed
        try host.mustExec("kill", "-STOP", pid)
        #expect(
            try Self.waitUntil(30) {
                let now = try host.mustExec("systemctl", "show", "--value", "--property=MainPID", "reconciler.service")
                    .trimmed
                return now != pid && now != "0" && Self.isActive(host, "reconciler.service")
            })
        let journal = try host.mustExec("journalctl", "-u", "reconciler.service", "--no-pager")
        #expect(journal.contains("Watchdog timeout"), "\(journal.suffix(2000))")

        // The remote goes away: the service keeps serving and the agent backs off.
        try host.mustExec("mv", Self.remote, Self.remote + ".away")
        #expect(
            try Self.waitUntil(40) {
                let retries = try host.journalEntries("-u", "reconciler.service", "--since", "-60s").compactMap {
                    ($0["RECONCILER_RETRY_SECONDS"] as? String).flatMap(Int.init)
                }
                return retries.count >= 2 && retries.last! > retries.first!
            })
        #expect(Self.isActive(host, "web.service"))
        #expect(try HTTPProbe.waitForOK("http://\(host.address):8101/", timeout: 10) != nil)
        try host.mustExec("mv", Self.remote + ".away", Self.remote)
    }
}
