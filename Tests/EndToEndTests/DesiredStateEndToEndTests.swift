import Foundation
import Testing

/// The desired state on real hosts: what `render` produces is accepted by systemd, the
/// repository's real Dockerfile builds, and the rendered units run the blog under podman
/// and under docker.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct DesiredStateEndToEndTests {
    static let podmanHost = "e2e-blog"
    static let dockerHost = "e2e-docker"
    static let repository = "/srv/repo"

    @Test(.timeLimit(.minutes(60)))
    func validateAcceptsTheRepositoryAndReportsEveryErrorOfABrokenOne() throws {
        let host = try TestHost.boot(Self.podmanHost)
        try host.copyRepository(to: Self.repository)

        let valid = try host.exec("reconciler", "validate", Self.repository)
        #expect(valid.status == 0, "\(valid)")
        #expect(valid.stdout.contains("valid: 1 service, 2 units"))

        try host.writeRepository(
            [
                "desired-state/a.yaml":
                    "apiVersion: reconciler/v1\nkind: Service\nname: a\nimage: {ref: x}\nports: [\"99999:80\"]\n",
                "desired-state/b.yaml": "apiVersion: reconciler/v2\nkind: Service\nname: b\n",
            ], to: "/srv/broken")
        let invalid = try host.exec("reconciler", "validate", "/srv/broken")
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("desired-state/a.yaml:5:"))
        #expect(invalid.stdout.contains("desired-state/b.yaml:1:"))
        #expect(invalid.stdout.contains("nothing would be applied"))

        let json = try host.exec("reconciler", "validate", "/srv/broken", "--output", "json")
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(report?["valid"] as? Bool == false)
        #expect((report?["diagnostics"] as? [Any])?.count ?? 0 >= 2)
    }

    @Test(.timeLimit(.minutes(60)))
    func everyRenderedUnitPassesSystemdAnalyzeVerify() throws {
        let host = try TestHost.boot(Self.podmanHost)
        try host.copyRepository(to: Self.repository)

        for runtime in ["podman", "docker"] {
            let directory = "/var/tmp/verify-\(runtime)"
            try host.mustExec("rm", "-rf", directory)
            try host.mustExec("mkdir", "-p", directory)
            let json = try host.mustExec(
                "reconciler", "render", Self.repository, "--runtime", runtime, "--output", "json")
            let units = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
            #expect(units.count == 3)
            var paths: [String] = []
            for unit in units {
                let name = try #require(unit["name"] as? String)
                let local = FileManager.default.temporaryDirectory.appendingPathComponent("verify-\(UUID())")
                try (unit["contents"] as? String ?? "").write(to: local, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(at: local) }
                try host.copy(local.path, to: "\(directory)/\(name)")
                paths.append("\(directory)/\(name)")
            }

            let verify = try Testbed.run(["exec", host.name, "systemd-analyze", "verify"] + paths)

            #expect(verify.status == 0, "\(runtime): \(verify)")
            #expect(!verify.stderr.contains(directory), "\(runtime) units drew warnings: \(verify.stderr)")
        }
    }

    @Test(.timeLimit(.minutes(60)))
    func theRenderedUnitServesTheBlogBuiltFromTheRealDockerfileAndKeepsPostsAcrossRestarts() throws {
        let host = try TestHost.boot(Self.podmanHost)
        try host.copyRepository(to: Self.repository)
        try host.mustExec(
            "podman", "build", "--quiet", "--tag", "localhost/reconciler/blog:working-tree",
            "--build-arg", "BASE=python:3.11-slim", "--file", "\(Self.repository)/Dockerfile", Self.repository,
            timeout: 600)
        try host.installRenderedUnits(from: Self.repository)
        try host.mustExec("systemctl", "start", "blog.service", timeout: 120)

        let url = "http://\(host.address):8080"
        #expect(try HTTPProbe.waitForOK("\(url)/healthz", timeout: 60) == "ok")
        let client = BlogClient(baseURL: url)
        // A fresh name: the blog's volume outlives the unit, and a rerun on the same host finds it.
        let user = "ada-\(UInt32.random(in: 0...UInt32.max))"
        #expect(try client.register(user, password: "lovelace") == 302)
        #expect(try client.logIn(user, password: "lovelace") == 302)
        #expect(try client.createPost(title: "Deployed by a commit", body: "No SSH involved.") == 302)
        #expect(try client.index().contains("Deployed by a commit"))

        try host.mustExec("systemctl", "restart", "blog.service", timeout: 120)
        #expect(try HTTPProbe.waitForOK("\(url)/healthz", timeout: 60) == "ok")

        #expect(try BlogClient(baseURL: url).index().contains("Deployed by a commit"))
        #expect(try host.mustExec("systemctl", "is-active", "blog.service").trimmed == "active")
        #expect(try host.mustExec("podman", "volume", "ls", "--format", "{{.Name}}").contains("blog-data"))
    }

    @Test(.timeLimit(.minutes(60)))
    func environmentValuesAndArgumentsReachTheContainerByteForByte() throws {
        let host = try TestHost.boot(Self.podmanHost)
        let tricky = #"a "quoted" and 'single' value with spaces, 50% off, $HOME ${PATH} $$ back\slash \\ end\"#
        let arguments = ["two words", ";", #"%h $HOME ${HOME} \n"#, "", #"say "hi""#]
        // The container writes what it received as JSON into a host folder we read back.
        // One line: YAML folds the line breaks of a quoted scalar into spaces.
        let script =
            "import json, os, signal, sys, time; signal.signal(signal.SIGTERM, lambda *_: sys.exit(0)); "
            + #"json.dump({"env": os.environ.get("TRICKY"), "plain": os.environ.get("PLAIN"), "argv": sys.argv[1:]}, "#
            + #"open("/out/received.json", "w")); time.sleep(3600)"#
        let command = (["python3", "-c", script] + arguments).map { "  - \(yamlSingleQuoted($0))" }
        let manifest = """
            apiVersion: reconciler/v1
            kind: Service
            name: echo
            image: {ref: "docker.io/library/python:3.11-slim"}
            volumes: ["/var/tmp/echo-out:/out"]
            env:
              TRICKY: \(yamlSingleQuoted(tricky))
              PLAIN: on
            command:
            \(command.joined(separator: "\n"))

            """
        try host.writeRepository(["desired-state/echo.yaml": manifest], to: "/srv/echo")
        try host.mustExec("rm", "-rf", "/var/tmp/echo-out")
        try host.mustExec("mkdir", "-p", "/var/tmp/echo-out")
        try host.installRenderedUnits(from: "/srv/echo")
        defer { _ = try? host.exec("systemctl", "stop", "echo.service") }
        try host.mustExec("systemctl", "restart", "echo.service", timeout: 120)

        var received: [String: Any]?
        let deadline = Date().addingTimeInterval(30)
        while received == nil && Date() < deadline {
            if let text = try? host.mustExec("cat", "/var/tmp/echo-out/received.json"), !text.isEmpty {
                received = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            } else {
                usleep(200_000)
            }
        }

        let result = try #require(received, "the container never wrote its input")
        #expect(result["env"] as? String == tricky)
        #expect(result["plain"] as? String == "on")
        #expect(result["argv"] as? [String] == arguments)
    }

    @Test(.timeLimit(.minutes(60)))
    func theDockerFlavourOfTheUnitServesTheBlogUnderDockerd() throws {
        let host = try TestHost.boot(Self.dockerHost)
        try host.mustExec("systemctl", "start", "docker.service", timeout: 180)
        try host.copyRepository(to: Self.repository)
        // Built with podman and handed to dockerd: `docker build` cannot mount the CA bundle
        // this machine's package proxy needs. What is under test is the docker unit.
        try host.mustExec(
            "podman", "build", "--quiet", "--tag", "localhost/reconciler/blog:working-tree",
            "--build-arg", "BASE=python:3.11-slim", "--file", "\(Self.repository)/Dockerfile", Self.repository,
            timeout: 600)
        try host.mustExec("rm", "-f", "/var/tmp/blog.tar")
        try host.mustExec("podman", "save", "--output", "/var/tmp/blog.tar", "localhost/reconciler/blog:working-tree")
        try host.mustExec("docker", "load", "--input", "/var/tmp/blog.tar", timeout: 300)
        let units = try host.installRenderedUnits(from: Self.repository, runtime: "docker")
        #expect(units.contains("blog.service"))
        try host.mustExec("systemctl", "start", "blog.service", timeout: 120)

        let url = "http://\(host.address):8080"
        #expect(try HTTPProbe.waitForOK("\(url)/healthz", timeout: 90) == "ok")
        let client = BlogClient(baseURL: url)
        #expect(try client.register("grace-\(UInt32.random(in: 0...UInt32.max))", password: "hopper") == 302)
        #expect(try host.mustExec("docker", "ps", "--format", "{{.Names}}").contains("blog"))

        let stop = ContinuousClock().measure { _ = try? host.exec("systemctl", "stop", "blog.service", timeout: 120) }
        #expect(stop < .seconds(30))
        #expect(try host.exec("docker", "container", "inspect", "blog").status != 0, "--rm removes the container")
    }
}

/// A YAML single-quoted scalar: only `'` needs escaping, by doubling it.
func yamlSingleQuoted(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
}
