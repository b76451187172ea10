import Foundation
import Testing

/// A container someone made by hand under a service's name is never removed or replaced: not
/// by a run, which refuses the commit, and not by the service's unit when it starts later.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ForeignContainerEndToEndTests {
    static let message =
        "a container named web exists that reconciler did not create (no io.reconciler.service label); "
        + "rename the service or remove the container by hand"

    /// Starts a container named `web` without our label; returns its id. Started through
    /// systemd-run, whose unit leaves conmon running when podman exits: run directly, conmon
    /// would keep the exec's output open and the exec would never end.
    static func startForeignContainer(_ host: TestHost) throws -> String {
        try host.mustExec(
            "systemd-run", "--wait", "--collect", "--quiet", "-p", "KillMode=process", "--", "/usr/bin/podman", "run",
            "-d", "--name", "web",
            "--pull=never", "docker.io/library/python:3.11-slim", "python3", "-m", "http.server", "9999")
        return try host.mustExec("podman", "container", "inspect", "--format", "{{.Id}}", "web").trimmed
    }

    /// The container's id and whether it runs, as podman sees it now.
    static func state(_ host: TestHost) throws -> String {
        try host.mustExec("podman", "container", "inspect", "--format", "{{.Id}} {{.State.Running}}", "web").trimmed
    }

    @Test(
        "a foreign container named like a service is left running, and the commit is refused", .timeLimit(.minutes(60)))
    func aForeignContainerIsLeftRunningAndTheCommitRefused() throws {
        let host = try TestHost.bootFresh("e2e-fcont")
        let work = ConvergeEndToEndTests.work
        try host.writeRepository(ConvergeEndToEndTests.smallServices(["web"]), to: work)
        try host.initRepository(work: work, remote: ConvergeEndToEndTests.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")
        let foreign = try Self.startForeignContainer(host)

        let refused = try host.once()

        #expect(refused.status != 0, "\(refused)")
        #expect(refused.stderr.contains(Self.message), "\(refused)")
        #expect(try Self.state(host) == "\(foreign) true")
        #expect(try host.exec("test", "-e", "/etc/systemd/system/web.service").status != 0)

        // Once it is gone the service deploys. A foreign container made while the unit is
        // stopped makes the unit's next start fail instead of replacing it.
        try host.mustExec("podman", "rm", "-f", "web")
        let deployed = try host.once()
        #expect(deployed.status == 0, "\(deployed)")
        try host.mustExec("systemctl", "stop", "web.service")
        let later = try Self.startForeignContainer(host)

        let start = try host.exec("systemctl", "start", "web.service", timeout: 120)

        #expect(start.status != 0, "\(start)")
        #expect(try Self.state(host) == "\(later) true")
        try host.mustExec("systemctl", "stop", "web.service")
        #expect(try Self.state(host) == "\(later) true")
    }
}
