import Foundation
import Testing

/// `reconciler status` and `reconciler history` on a real host, after a run that converged
/// and one that failed its health check: what an operator looks at when a deploy goes wrong.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct StatusHistoryEndToEndTests {
    static let work = "/srv/work"
    static let remote = "/srv/desired.git"

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test(.timeLimit(.minutes(60)))
    func statusAndHistoryShowTheAppliedCommitTheServiceAndAFailedRun() throws {
        let host = try TestHost.bootFresh("e2e-status")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeRepository(ConvergeEndToEndTests.smallServices(["web"]), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "e2e-status")

        // Before any run: status works, creates nothing, and history is empty.
        let before = try #require(try json(host.mustExec("reconciler", "status", "--output", "json")) as? [String: Any])
        #expect(before["applied"] is NSNull)
        #expect((before["repository"] as? [String: Any])?["url"] as? String == Self.remote)
        #expect((before["repository"] as? [String: Any])?["branch"] as? String == "main")
        #expect(try host.exec("test", "-e", "/var/lib/reconciler").status != 0)
        #expect(try host.mustExec("reconciler", "history").trimmed == "no runs recorded yet")

        let good = try host.git(Self.work, "rev-parse", "HEAD").trimmed
        let first = try host.once()
        #expect(first.status == 0, "\(first)")

        let status = try #require(try json(host.mustExec("reconciler", "status", "--output", "json")) as? [String: Any])
        #expect((status["applied"] as? [String: Any])?["commit"] as? String == good)
        #expect((status["lastHealthy"] as? [String: Any])?["commit"] as? String == good)
        #expect(status["lastError"] is NSNull)
        let units = try #require(status["units"] as? [[String: Any]])
        let web = try #require(units.first { $0["name"] as? String == "web.service" }, "\(units)")
        #expect(web["activeState"] as? String == "active")
        #expect(web["unitFileState"] as? String == "enabled")
        #expect(web["commit"] as? String == good)
        let container = try #require(web["container"] as? [String: Any])
        #expect(container["running"] as? Bool == true)
        let imageID = try host.mustExec("podman", "container", "inspect", "--format", "{{.Image}}", "web").trimmed
        #expect(container["imageID"] as? String == imageID)
        let text = try host.mustExec("reconciler", "status")
        #expect(text.contains("applied:  \(good.prefix(12)) at "))
        #expect(text.contains("repo:     \(Self.remote), branch main"))
        #expect(text.contains("web.service  active/running  enabled  running"))

        let runs = try #require(
            try json(host.mustExec("reconciler", "history", "--output", "json")) as? [[String: Any]])
        #expect(runs.count == 1)
        #expect(runs.first?["commit"] as? String == good)
        #expect(runs.first?["result"] as? String == "succeeded")
        #expect(runs.first?["trigger"] as? String == "once")
        let actions = try #require(runs.first?["actions"] as? [[String: Any]])
        #expect(actions.contains { $0["target"] as? String == "web.service" && $0["state"] as? String == "succeeded" })

        // A service whose health check asks a port nothing listens on.
        try host.writeFile(
            "\(Self.work)/desired-state/broken.yaml",
            """
            apiVersion: reconciler/v1
            kind: Service
            name: broken
            image: {ref: "docker.io/library/python:3.11-slim"}
            command: ["python3", "-m", "http.server", "8102"]
            restart: always
            health: {http: "http://127.0.0.1:8199/", timeout: 3s}

            """)
        let bad = try host.commitAll(
            work: Self.work, remote: Self.remote, message: "Add a service that never gets healthy")
        let second = try host.once()
        #expect(second.status == 1, "\(second)")

        let after = try #require(try json(host.mustExec("reconciler", "status", "--output", "json")) as? [String: Any])
        let lastError = try #require(after["lastError"] as? [String: Any], "\(after)")
        #expect(lastError["commit"] as? String == bad)
        #expect((lastError["message"] as? String)?.contains("broken") == true, "\(lastError)")
        #expect((after["lastHealthy"] as? [String: Any])?["commit"] as? String == good)
        #expect(try host.mustExec("reconciler", "status").contains("error:    "))

        let history = try #require(
            try json(host.mustExec("reconciler", "history", "-n", "5", "--output", "json")) as? [[String: Any]])
        #expect(history.count == 2)
        let failed = try #require(history.first)
        #expect(failed["commit"] as? String == bad)
        // Failed, or rolled back when the daemon's rollback put the healthy commit back.
        #expect(["failed", "rolled-back"].contains(failed["result"] as? String ?? ""), "\(failed)")
        #expect(
            (failed["actions"] as? [[String: Any]])?.contains { $0["target"] as? String == "broken.service" } == true)
        #expect(history.last?["commit"] as? String == good)
        // The rolled-back commit is quarantined: listed first, and marked on its run.
        let listing = try host.mustExec("reconciler", "history", "-n", "1")
        #expect(listing.hasPrefix("quarantined: \(bad.prefix(12)) since "), "\(listing)")
        let run = listing.split(separator: "\n").first { $0.hasPrefix("#") } ?? ""
        #expect(
            run.hasPrefix("#\(failed["id"] as? Int ?? -1)  once  \(bad.prefix(12)) (quarantined)  "), "\(listing)")
        #expect(listing.contains("broken.service"))
    }
}
