import Foundation
import Testing

/// Benchmark, not a timed test: what an idle agent costs on a host with 10 services, and
/// where the time from a push to a served service goes, each figure printed beside a peer
/// measured in the same run on the same host (`git ls-remote`, `systemctl is-active`).
/// Budgets (issue 13): idle CPU under 0.1% of a core at a 5 s poll, RSS under 20 MiB, a
/// no-op `once` under 20 ms wall, push-to-served within one poll plus the apply time.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct IdleBenchmark {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote
    /// The remote as the agent reads it: git:// from a git daemon in the host, so every poll
    /// goes through the network helper, as it does against a real server.
    static let daemonURL = "git://127.0.0.1/desired.git"
    static let poll = 5.0

    @Test(.timeLimit(.minutes(60)))
    func theIdleAgentIsMeasured() throws {
        let host = try TestHost.bootFresh("bidle1")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        let names = (1...10).map { "svc\($0)" }
        try host.writeRepository(ConvergeEndToEndTests.smallServices(names, firstPort: 8201), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try host.mustExec(
            "systemd-run", "--unit", "bidle-gitd", "--collect", "git", "daemon", "--reuseaddr",
            "--listen=127.0.0.1", "--port=9418", "--export-all", "--base-path=/srv", "/srv")
        try configure(host, url: Self.daemonURL)
        try host.copy(
            Testbed.repositoryRoot + "/units/reconciler.service", to: "/etc/systemd/system/reconciler.service")
        try host.mustExec("systemctl", "daemon-reload")
        try host.mustExec("systemctl", "start", "reconciler.service", timeout: 120)
        #expect(
            try AgentEndToEndTests.waitUntil(600) {
                names.allSatisfy { AgentEndToEndTests.isActive(host, "\($0).service") }
            })

        // Idle: sample the agent and its helper over a window of polls.
        usleep(UInt32(Self.poll * 2 * 1e6))
        let agent = try host.mustExec("systemctl", "show", "--value", "--property=MainPID", "reconciler.service")
            .trimmed
        let helpersBefore = try children(of: agent, in: host)
        let before = try cpuTicks([agent] + helpersBefore, in: host)
        let window = 90.0
        usleep(UInt32(window * 1e6))
        let helpersAfter = try children(of: agent, in: host)
        let after = try cpuTicks([agent] + helpersAfter, in: host)
        let idlePercent = Double(after - before) / 100 / window * 100
        let agentRSS = try rssKiB(agent, in: host)
        let helperRSS = try helpersAfter.map { try rssKiB($0, in: host) }.reduce(0, +)
        let lsRemote = try measure("git ls-remote \(Self.daemonURL) refs/heads/main", in: host)
        let isActive = try measure(
            "systemctl is-active \(names.map { "\($0).service" }.joined(separator: " "))", in: host)
        let peerPercent = lsRemote.cpu / 1000 / Self.poll * 100

        // Push to served: a new service each time, timed until it answers over HTTP, split at
        // the moment the agent fetched the commit.
        var waits: [Double] = []
        var applies: [Double] = []
        for round in 1...3 {
            let port = 8240 + round
            for (path, text) in ConvergeEndToEndTests.smallServices(["new\(round)"], firstPort: port) {
                try host.writeFile("\(Self.work)/\(path)", text)
            }
            let commit = try host.commitAll(work: Self.work, remote: Self.remote, message: "Add new\(round)")
            let pushed = Date()
            _ = try #require(try HTTPProbe.waitForOK("http://\(host.address):\(port)/", timeout: 120))
            let servedAt = Date()
            let fetched = try host.journalEntries(
                "-u", "reconciler.service", "MESSAGE=fetched \(commit.prefix(12))"
            ).first.flatMap { ($0["__REALTIME_TIMESTAMP"] as? String).flatMap(Double.init) }
            let fetchedAt = Date(timeIntervalSince1970: try #require(fetched) / 1e6)
            waits.append(fetchedAt.timeIntervalSince(pushed))
            applies.append(servedAt.timeIntervalSince(fetchedAt))
            usleep(UInt32.random(in: 0...UInt32(Self.poll * 1e6)))
        }

        // A no-op `once`, the agent stopped, against the local bare repository (in process) and
        // over git:// (one helper process started per command).
        try host.mustExec("systemctl", "stop", "reconciler.service", timeout: 120)
        try configure(host, url: Self.remote)
        let onceLocal = try measure("reconciler once --log-target stderr", in: host)
        try configure(host, url: Self.daemonURL)
        let onceDaemon = try measure("reconciler once --log-target stderr", in: host)
        let start = try measure("reconciler version", in: host)

        let wait = waits.reduce(0, +) / Double(waits.count)
        let apply = applies.reduce(0, +) / Double(applies.count)
        print(
            """

            Idle agent, 10 services, poll \(Int(Self.poll)) s, git:// from a git daemon in the host (bidle1):
            figure                                   reconciler        peer (same run)                       ratio
            idle CPU, % of a core (\(Int(window)) s window)    \(f(idlePercent, 3))%   git ls-remote every \(Int(Self.poll)) s: \(f(peerPercent, 3))%   \(ratio(idlePercent, peerPercent))
            helper processes (start → end of window) \(helpersBefore) → \(helpersAfter)
            RSS agent / helper, MiB                  \(f(Double(agentRSS) / 1024, 1)) / \(f(Double(helperRSS) / 1024, 1))
            no-op once, local repo, wall ms          \(f(onceLocal.wall, 1))   systemctl is-active ×10: \(f(isActive.wall, 1))   \(ratio(onceLocal.wall, isActive.wall))
            no-op once, git://, wall ms              \(f(onceDaemon.wall, 1))   git ls-remote: \(f(lsRemote.wall, 1))   \(ratio(onceDaemon.wall, lsRemote.wall))
            no-op once, local repo, cpu ms           \(f(onceLocal.cpu, 1))   systemctl is-active ×10: \(f(isActive.cpu, 1))   \(ratio(onceLocal.cpu, isActive.cpu))
            process start (reconciler version)       \(f(start.wall, 1)) ms wall, \(f(start.cpu, 1)) ms cpu
            push → fetched (waiting for the poll), s \(waits.map { f($0, 2) })   mean \(f(wait, 2))
            fetched → served (apply + health), s     \(applies.map { f($0, 2) })   mean \(f(apply, 2))
            push → served, mean s                    \(f(wait + apply, 2))   budget: one poll (\(Int(Self.poll)) s) + apply

            """)
        #expect(helpersBefore.count == 1, "one long-lived helper: \(helpersBefore)")
        #expect(helpersBefore == helpersAfter, "a helper process was started during the idle window")
        #expect(wait < Self.poll * 1.1 + 1)
    }

    private func configure(_ host: TestHost, url: String) throws {
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            "repository:\n  url: \(url)\nhost:\n  name: bidle1\npollInterval: \(Int(Self.poll))s\n")
    }

    /// The pids of `pid`'s children (the network helper), started by any of its threads.
    private func children(of pid: String, in host: TestHost) throws -> [String] {
        let text = try host.mustExec("sh", "-c", "cat /proc/\(pid)/task/*/children")
        return text.split(separator: " ").map { String($0).trimmed }.filter { !$0.isEmpty }.sorted()
    }

    /// utime + stime, in clock ticks (1/100 s), of `pids` together.
    private func cpuTicks(_ pids: [String], in host: TestHost) throws -> Int {
        var total = 0
        for pid in pids {
            let stat = try host.mustExec("cat", "/proc/\(pid)/stat")
            guard let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            total += (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
        }
        return total
    }

    private func rssKiB(_ pid: String, in host: TestHost) throws -> Int {
        let status = try host.mustExec("cat", "/proc/\(pid)/status")
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Mean wall and CPU ms of `command` over 20 runs, timed by bash inside the host.
    private func measure(_ command: String, in host: TestHost) throws -> (wall: Double, cpu: Double) {
        let runs = 20
        let script = """
            TIMEFORMAT='%R %U %S'; { time (for i in $(seq \(runs)); do \(command) >/dev/null 2>&1; done) ; } 2>&1
            """
        let output = try host.mustExec("bash", "-c", script).trimmed.split(separator: " ").compactMap { Double($0) }
        guard output.count == 3 else { return (0, 0) }
        return (output[0] * 1000 / Double(runs), (output[1] + output[2]) * 1000 / Double(runs))
    }

    private func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    private func ratio(_ value: Double, _ peer: Double) -> String {
        peer > 0 ? String(format: "%.2fx", value / peer) : "-"
    }
}
