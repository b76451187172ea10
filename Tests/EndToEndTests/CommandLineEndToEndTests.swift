import Foundation
import Testing

/// The day-to-day command line on a real host (#14): following a tag or a commit given on
/// the command line, `status` naming the repository of the last run, journal lines that
/// tell the story with `-o cat`, `diff SERVICE…`, `config check`, and a container that
/// cannot start reported with the runtime's own error.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct CommandLineEndToEndTests {
    static let work = "/srv/work"
    static let remote = "/srv/desired.git"

    func reconciler(_ host: TestHost, _ arguments: [String]) throws -> CommandResult {
        try Testbed.run(["exec", host.name, "reconciler"] + arguments, timeout: 900)
    }

    func diff(_ host: TestHost, _ arguments: [String]) throws -> CommandResult {
        try reconciler(host, ["diff", "--log-target", "stderr"] + arguments)
    }

    @Test(.timeLimit(.minutes(60)))
    func dayToDayCommandsOnARealHost() throws {
        let host = try TestHost.bootFresh("e2e-cli1")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler", "/etc/reconciler/config.yaml")
        let files = ConvergeEndToEndTests.smallServices(["web", "api"], restart: "no", firstPort: 8181)
        try host.writeRepository(files, to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        let tagged = try host.git(Self.work, "rev-parse", "HEAD").trimmed
        try host.git(Self.work, "tag", "-a", "v1", "-m", "release 1")
        try host.git(Self.work, "push", "-q", Self.remote, "v1")
        // main moves on past the tag: following the tag must not take it.
        try host.writeFile("\(Self.work)/README", "later\n")
        let later = try host.commitAll(work: Self.work, remote: Self.remote, message: "Later")
        let source = ["--repo", Self.remote, "--host", "web1"]

        let missing = try reconciler(host, ["once", "--log-target", "stderr", "--tag", "v9"] + source)
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderr.contains("tag 'v9' is not on"), "\(missing)")

        let first = try reconciler(host, ["once", "--log-target", "journal", "--tag", "v1"] + source)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("converged to \(tagged.prefix(12))"), "\(first)")
        #expect(!first.stdout.contains(later.prefix(12)), "\(first)")

        try journalLinesTellTheStory(host, commit: tagged)
        try statusShowsTheLastRunsRepository(host)
        try diffSelectsServices(host, source: source + ["--tag", "v1"], commit: tagged)
        try aPortTakenIsReportedWithTheRuntimesError(host, source: source + ["--tag", "v1"])
        try aMissingProgramIsReportedWithTheRuntimesError(host, source: source)
        try configCheckFindsAnOpenSecretAndNeverShowsIt(host)
        try host.stop()
    }

    private func journalLinesTellTheStory(_ host: TestHost, commit: String) throws {
        let journal = try host.mustExec("journalctl", "-t", "reconciler", "-o", "cat", "--no-pager")
        let lines = journal.split(separator: "\n").map(String.init)
        let short = String(commit.prefix(12))
        // Every action line: `<commit>: <action> <unit> (<reason>)`.
        let actions = lines.filter { $0.hasPrefix("\(short): ") && $0.contains("web.service (") }
        #expect(!actions.isEmpty, "\(journal)")
        #expect(actions.allSatisfy { $0.hasSuffix(")") }, "\(actions)")
        #expect(lines.contains("\(short): web is healthy"), "\(journal)")
        #expect(lines.contains { $0.hasPrefix("fetched refs/tags/v1: none -> ") }, "\(journal)")
    }

    private func statusShowsTheLastRunsRepository(_ host: TestHost) throws {
        // No configuration file and no --repo: the repository comes from the last run.
        let text = try host.mustExec("reconciler", "status")
        #expect(text.contains("repo:     \(Self.remote), tag v1 (last run)"), "\(text)")
        let json = try host.mustExec("reconciler", "status", "--output", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let repository = object?["repository"] as? [String: Any]
        #expect(repository?["url"] as? String == Self.remote, "\(json)")
        #expect(repository?["tag"] as? String == "v1", "\(json)")
        #expect(repository?["lastRun"] as? Bool == true, "\(json)")
    }

    private func diffSelectsServices(_ host: TestHost, source: [String], commit: String) throws {
        try host.mustExec("systemctl", "stop", "api.service")
        let web = try diff(host, ["web"] + source)
        #expect(web.status == 0, "\(web)")
        let api = try diff(host, ["api"] + source)
        #expect(api.status == 1, "\(api)")
        #expect(api.stdout.contains("start api.service"), "\(api)")
        #expect(!api.stdout.contains("web.service"), "\(api)")
        let unknown = try diff(host, ["nginx"] + source)
        #expect(unknown.status == 2, "\(unknown)")
        #expect(unknown.stderr.contains("no service or unit named 'nginx'"), "\(unknown)")
        #expect(unknown.stderr.contains("known: api, api.service, web, web.service"), "\(unknown)")
        // The same commit by its id: web is in sync there too.
        let pinned = try reconciler(
            host,
            ["diff", "--log-target", "stderr", "web", "--repo", Self.remote, "--host", "web1", "--commit", commit])
        #expect(pinned.status == 0, "\(pinned)")
    }

    private func aPortTakenIsReportedWithTheRuntimesError(_ host: TestHost, source: [String]) throws {
        try host.mustExec("systemctl", "stop", "web.service")
        try host.mustExec(
            "podman", "run", "-d", "--name", "squatter", "-p", "8181:8181", "docker.io/library/python:3.11-slim",
            "python3", "-m", "http.server", "8181")
        defer { _ = try? host.exec("podman", "rm", "-f", "squatter") }
        let run = try reconciler(host, ["once", "--log-target", "stderr"] + source)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("start web.service"), "\(run)")
        // podman's own words, not only systemd's "failed with result".
        #expect(run.stderr.contains("address already in use"), "\(run)")
        print("a port taken, as the operator sees it:\n\(run.stderr)")
    }

    /// A commit whose container names a program the image does not have: the runtime's own
    /// words reach the operator, and the host goes back to the tag it ran.
    private func aMissingProgramIsReportedWithTheRuntimesError(_ host: TestHost, source: [String]) throws {
        try host.writeFile(
            "\(Self.work)/desired-state/api.yaml",
            """
            apiVersion: reconciler/v1
            kind: Service
            name: api
            image: {ref: "docker.io/library/python:3.11-slim"}
            command: ["/no/such/program-77"]
            restart: "no"

            """)
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Broken api")
        try host.git(Self.work, "tag", "-a", "v2", "-m", "release 2")
        try host.git(Self.work, "push", "-q", Self.remote, "v2")
        let run = try reconciler(host, ["once", "--log-target", "stderr", "--tag", "v2"] + source)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("restart api.service") || run.stderr.contains("start api.service"), "\(run)")
        #expect(run.stderr.contains("/no/such/program-77"), "\(run)")
        #expect(run.stderr.contains("no such file or directory"), "\(run)")
        // podman's event records are left to `podman events`: the quote is the error itself.
        #expect(!run.stderr.contains("container create"), "\(run)")
        print("a missing program, as the operator sees it:\n\(run.stderr)")
    }

    private func configCheckFindsAnOpenSecretAndNeverShowsIt(_ host: TestHost) throws {
        let token = "canary-token-4242"
        let password = "canary-password-4343"
        try host.writeFile("/etc/reconciler/token", token + "\n")
        try host.mustExec("chmod", "644", "/etc/reconciler/token")
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            """
            repository:
              url: https://ada:\(password)@git.example/ops.git
              tag: v1
              credentials:
                passwordFile: /etc/reconciler/token
            host:
              name: web1

            """)
        let open = try reconciler(host, ["config", "check"])
        #expect(open.status == 1, "\(open)")
        #expect(open.stdout.contains("chmod 600 /etc/reconciler/token"), "\(open)")
        #expect(open.stdout.contains("repository.url:"), "\(open)")
        #expect(open.stdout.contains("https://ada:***@git.example/ops.git"), "\(open)")
        #expect(open.stdout.contains("repository.tag:"), "\(open)")

        try host.mustExec("chmod", "600", "/etc/reconciler/token")
        let fixed = try reconciler(host, ["config", "check", "--output", "json"])
        #expect(fixed.status == 0, "\(fixed)")
        for output in [open.stdout, open.stderr, fixed.stdout, fixed.stderr] {
            #expect(!output.contains(token) && !output.contains(password), "\(output)")
        }

        let explicit = try reconciler(
            host, ["config", "check", "--config", "/etc/reconciler/config.yaml", "--tag", "v1"])
        #expect(explicit.status == 0, "\(explicit)")
        try host.writeFile("/etc/reconciler/config.yaml", "repository:\n  url: /srv/desired.git\n  brnch: main\n")
        let invalid = try reconciler(host, ["config", "check"])
        #expect(invalid.status == 1, "\(invalid)")
        #expect(
            invalid.stdout.contains("/etc/reconciler/config.yaml:3:3: error: repository.brnch: unknown key"),
            "\(invalid)")
    }
}
