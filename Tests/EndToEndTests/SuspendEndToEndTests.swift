import Foundation
import Testing

/// `reconciler suspend` on a real host: drift is reported and left alone until `resume`.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct SuspendEndToEndTests {
    @Test(.timeLimit(.minutes(60)))
    func aSuspendedHostDoesNotHealDriftAndHealsItAfterResume() throws {
        let host = try TestHost.bootFresh("e2e-suspend")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeRepository(ConvergeEndToEndTests.smallServices(["web"]), to: ConvergeEndToEndTests.work)
        try host.initRepository(work: ConvergeEndToEndTests.work, remote: ConvergeEndToEndTests.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")
        #expect(try host.once().status == 0)

        let suspend = try host.exec("reconciler", "suspend", "--reason", "incident 7")
        #expect(suspend.status == 0, "\(suspend)")
        try host.mustExec("systemctl", "stop", "web.service")

        let held = try host.once()
        #expect(held.status == 0, "\(held)")
        #expect(held.stdout.contains("suspended (incident 7)"), "\(held)")
        #expect(held.stdout.contains("start web.service"), "\(held)")
        #expect(try host.exec("systemctl", "is-active", "web.service").stdout.trimmed != "active")
        #expect(try host.diff().status == 1)
        #expect(try host.mustExec("reconciler", "status").contains("suspended:"))

        #expect(try host.mustExec("reconciler", "resume").contains("resumed"))
        #expect(try host.once().status == 0)
        #expect(try host.mustExec("systemctl", "is-active", "web.service").trimmed == "active")
        #expect(try !host.mustExec("reconciler", "status").contains("suspended:"))
        try host.stop()
    }
}
