import Foundation
import Testing

/// Benchmark, not a timed test: prints the wall and CPU time of a no-op `reconciler once` on
/// a host with 10 services, next to peers measured in the same run on the same host.
/// Budget (DESIGN.md): under 20 ms wall and 10 ms CPU.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct NoOpBenchmark {
    @Test(.timeLimit(.minutes(60)))
    func aNoOpOnceOnTenServicesIsMeasured() throws {
        let host = try TestHost.bootFresh("e2e-bench")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        let names = (1...10).map { "svc\($0)" }
        try host.writeRepository(ConvergeEndToEndTests.smallServices(names), to: ConvergeEndToEndTests.work)
        try host.initRepository(work: ConvergeEndToEndTests.work, remote: ConvergeEndToEndTests.remote)
        try ConvergeEndToEndTests.configure(host, name: "bench")
        let first = try host.once()
        #expect(first.status == 0, "\(first)")
        let check = try host.once()
        #expect(check.stdout.contains("in sync"), "\(check)")

        // bash's `time` around N runs inside the host: no testbed or nspawn overhead counted.
        let runs = 20
        func measure(_ command: String) throws -> (wall: Double, cpu: Double) {
            let script = """
                TIMEFORMAT='%R %U %S'; { time (for i in $(seq \(runs)); do \(command) >/dev/null 2>&1; done) ; } 2>&1
                """
            let output = try host.mustExec("bash", "-c", script).trimmed.split(separator: " ").compactMap { Double($0) }
            guard output.count == 3 else { return (0, 0) }
            return (output[0] * 1000 / Double(runs), (output[1] + output[2]) * 1000 / Double(runs))
        }
        let once = try measure("reconciler once --log-target stderr")
        // The floor of any `reconciler` command: starting the binary. The daemon pays it once.
        let start = try measure("reconciler version")
        let lsRemote = try measure("git ls-remote \(ConvergeEndToEndTests.remote) refs/heads/main")
        let isActive = try measure("systemctl is-active \(names.map { "\($0).service" }.joined(separator: " "))")
        let podmanPS = try measure("podman ps --format json")

        print(
            """

            No-op `reconciler once`, 10 services, mean of \(runs) runs in the host:
            operation                            wall ms   cpu ms   vs git ls-remote
            reconciler once (no-op)              \(format(once.wall))   \(format(once.cpu))   \(String(format: "%.1fx", once.wall / lsRemote.wall))
            reconciler version (process start)   \(format(start.wall))   \(format(start.cpu))   \(String(format: "%.1fx", start.wall / lsRemote.wall))
            once minus process start             \(format(once.wall - start.wall))   \(format(once.cpu - start.cpu))
            git ls-remote (local bare repo)      \(format(lsRemote.wall))   \(format(lsRemote.cpu))   1.0x
            systemctl is-active (10 units)       \(format(isActive.wall))   \(format(isActive.cpu))   \(String(format: "%.1fx", isActive.wall / lsRemote.wall))
            podman ps --format json              \(format(podmanPS.wall))   \(format(podmanPS.cpu))   \(String(format: "%.1fx", podmanPS.wall / lsRemote.wall))
            budget: < 20 ms wall, < 10 ms CPU

            """)
        #expect(once.wall > 0)
    }

    private func format(_ value: Double) -> String { String(format: "%7.1f", value) }
}
