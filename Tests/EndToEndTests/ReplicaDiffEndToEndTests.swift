import Foundation
import Testing

/// A replicated service named as one on a real host: `diff web` shows both instances, `diff
/// web-2` one, a misspelt name lists `web` among the known; the plan, the journal and history
/// name each step of the rolling update.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ReplicaDiffEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote

    /// `web` in two instances on 8251 and 8252, `api` a single service on 8253, both at `version`.
    static func files(version: String) -> [String: String] {
        let serve = ReplicasEndToEndTests.graceful("python3 -m http.server 8080")
        return [
            "desired-state/web.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: web
            image: {ref: "docker.io/library/python:3.11-slim"}
            command: \(serve)
            replicas: {count: 2, ports: ["127.0.0.1:8251:8080", "127.0.0.1:8252:8080"]}
            health: {http: "http://127.0.0.1:{port}/", timeout: 30s}
            env: {VERSION: "\(version)"}

            """,
            "desired-state/api.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: api
            image: {ref: "docker.io/library/python:3.11-slim"}
            command: \(serve)
            ports: ["127.0.0.1:8253:8080"]
            env: {VERSION: "\(version)"}

            """,
        ]
    }

    @Test(.timeLimit(.minutes(60)))
    func diffSelectsAReplicatedServiceAndNamesItsRollingSteps() throws {
        let host = try TestHost.bootFresh("e2e-grp")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeRepository(Self.files(version: "1"), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")
        let first = try host.once()
        #expect(first.status == 0, "\(first)")
        for file in Self.files(version: "2") { try host.writeFile("\(Self.work)/\(file.key)", file.value) }
        let commit = try host.commitAll(work: Self.work, remote: Self.remote, message: "Version 2")

        let web = try host.diff("web")
        #expect(web.status == 1, "\(web)")
        #expect(web.stdout.contains("restart web-1.service: rolling update of web, 1 of 2: "), "\(web)")
        #expect(web.stdout.contains("restart web-2.service: rolling update of web, 2 of 2: "), "\(web)")
        #expect(!web.stdout.contains("api.service"), "\(web)")
        let second = try host.diff("web-2")
        #expect(second.status == 1, "\(second)")
        #expect(second.stdout.contains("restart web-2.service: rolling update of web, 2 of 2: "), "\(second)")
        #expect(!second.stdout.contains("web-1.service"), "\(second)")
        let unknown = try host.diff("wbe")
        #expect(unknown.status == 2, "\(unknown)")
        #expect(
            unknown.stderr.contains("known: api, api.service, web, web-1, web-1.service, web-2, web-2.service"),
            "\(unknown)")
        try jsonCarriesTheSteps(host)

        let rolled = try host.once()
        #expect(rolled.status == 0, "\(rolled)")
        let journal = try host.mustExec("journalctl", "-t", "reconciler", "-o", "cat", "--no-pager")
        let short = commit.prefix(12)
        #expect(
            journal.contains("\(short): restart web-1.service (rolling update of web, 1 of 2: "), "\(journal)")
        #expect(
            journal.contains("\(short): restart web-2.service (rolling update of web, 2 of 2: "), "\(journal)")
        let fields = try host.mustExec(
            "journalctl", "-t", "reconciler", "RECONCILER_ROLLING=web 2/2", "-o", "cat", "--no-pager")
        #expect(fields.contains("restart web-2.service"), "\(fields)")
        let history = try host.mustExec("reconciler", "history", "-n", "1")
        #expect(history.contains("rolling update of web, 2 of 2: "), "\(history)")
        try host.stop()
    }

    private func jsonCarriesTheSteps(_ host: TestHost) throws {
        let json = try host.diff("web", "--output", "json")
        #expect(json.status == 1, "\(json)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let actions = object?["actions"] as? [[String: Any]] ?? []
        let steps = actions.compactMap { action -> String? in
            guard let rolling = action["rolling"] as? [String: Any] else { return nil }
            return
                "\(action["target"] ?? "") \(rolling["group"] ?? "") \(rolling["step"] ?? "")/\(rolling["steps"] ?? "")"
        }
        #expect(steps == ["web-1.service web 1/2", "web-2.service web 2/2"], "\(json.stdout)")
    }
}
