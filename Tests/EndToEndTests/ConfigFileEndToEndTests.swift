import Foundation
import Testing

/// Files from git on a real host (systemd, podman): a change to a file reloads its service
/// in place (same main PID, same container) while it keeps answering, a failed reload rolls
/// the release back, a unit change restarts, and a file removed from git leaves the host.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ConfigFileEndToEndTests {
    static let port = 8220
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote
    static let hostDirectory = "/var/lib/reconciler/files/cfgapp/etc+app"

    /// Serves the message file beside it; re-reads it on SIGHUP. With --reload it checks the
    /// file first (a message containing "bad" fails, as `caddy reload` fails on a bad file),
    /// then signals the server ($MAINPID under systemd, PID 1 in a container): its ExecReload=.
    static let server = """
        import http.server, os, signal, sys
        def read():
            with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "message")) as f:
                return f.read()
        if sys.argv[1:] == ["--reload"]:
            if "bad" in read():
                sys.exit("message rejected: it says bad")
            os.kill(int(os.environ.get("MAINPID", "1")), signal.SIGHUP)
            sys.exit(0)
        state = {"message": read()}
        def reload(signum, frame):
            state["message"] = read()
        signal.signal(signal.SIGHUP, reload)
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = state["message"].encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        port = int(os.environ.get("PORT", "\(port)"))
        http.server.ThreadingHTTPServer(("", port), Handler).serve_forever()

        """

    static func repository(message: String, extra: String? = nil, environment: String = "v1") -> [String: String] {
        var files = [
            "desired-state/cfgapp.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: cfgapp
            image: {ref: "docker.io/library/python:3.11-slim"}
            command: ["python3", "/etc/app/server.py"]
            ports: ["\(port):\(port)"]
            env: {EDITION: "\(environment)"}
            files:
              - {source: desired-state/app/server.py, target: /etc/app/server.py}
              - {source: desired-state/app/message, target: /etc/app/message, mode: "0640"}
            \(extra == nil ? "" : "  - {source: desired-state/app/extra, target: /etc/app/extra}")
            reload: [python3, /etc/app/server.py, --reload]
            health: {http: "http://127.0.0.1:\(port)/", timeout: 30s}

            """,
            "desired-state/app/server.py": server,
            "desired-state/app/message": message,
        ]
        if let extra { files["desired-state/app/extra"] = extra }
        return files
    }

    @discardableResult
    func commit(_ host: TestHost, _ files: [String: String], message: String) throws -> String {
        try host.mustExec("rm", "-rf", "\(Self.work)/desired-state")
        for (path, text) in files { try host.writeFile("\(Self.work)/\(path)", text) }
        return try host.commitAll(work: Self.work, remote: Self.remote, message: message)
    }

    func mainPID(_ host: TestHost) throws -> String {
        try host.mustExec("systemctl", "show", "--property", "MainPID", "--value", "cfgapp.service").trimmed
    }

    func containerID(_ host: TestHost) throws -> String {
        try host.mustExec("podman", "container", "inspect", "--format", "{{.Id}}", "cfgapp").trimmed
    }

    func page(_ host: TestHost) throws -> String {
        try host.mustExec("curl", "-fsS", "--max-time", "5", "http://127.0.0.1:\(Self.port)/")
    }

    @Test(.timeLimit(.minutes(60)))
    func aChangedFileReloadsTheServiceInPlaceAndAUnitChangeRestartsIt() throws {
        let host = try TestHost.bootFresh("e2e-cfg")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.writeRepository(Self.repository(message: "first\n", extra: "x\n"), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")

        let first = try host.once()
        #expect(first.status == 0, "\(first)")
        #expect(try page(host) == "first\n")
        let mode = try host.mustExec("stat", "-c", "%a", "\(Self.hostDirectory)/message").trimmed
        #expect(mode == "640")
        let pid = try mainPID(host)
        let container = try containerID(host)

        // A file change: `diff` shows it as a unified diff, `once` reloads under constant load.
        try commit(host, Self.repository(message: "second\n", extra: "x\n"), message: "New message")
        let diff = try host.diff()
        #expect(diff.stdout.contains("reload cfgapp.service"), "\(diff)")
        #expect(diff.stdout.contains("-first\n+second\n"), "\(diff)")
        try host.mustExec(
            "systemd-run", "--unit", "cfg-load", "--collect", "sh", "-c",
            "for i in $(seq 1 150); do curl -s -o /dev/null --max-time 2 -w '%{http_code}\\n' "
                + "http://127.0.0.1:\(Self.port)/ >> /tmp/codes; sleep 0.02; done")
        let reloaded = try host.once()
        #expect(reloaded.status == 0, "\(reloaded)")
        #expect(reloaded.stdout.contains("reload cfgapp.service"), "\(reloaded)")
        #expect(!reloaded.stdout.contains("restart cfgapp.service"), "\(reloaded)")
        #expect(try page(host) == "second\n")
        #expect(try mainPID(host) == pid)
        #expect(try containerID(host) == container)
        try host.mustExec("sh", "-c", "while systemctl is-active -q cfg-load; do sleep 0.2; done")
        let codes = try host.mustExec("cat", "/tmp/codes").split(separator: "\n")
        #expect(codes.count == 150)
        #expect(codes.allSatisfy { $0 == "200" }, "\(codes.filter { $0 != "200" }.count) failed requests")

        // A file the reload refuses: the reload fails, the release is rolled back to "second".
        let bad = try commit(host, Self.repository(message: "bad\n", extra: "x\n"), message: "Bad message")
        let failed = try host.once()
        #expect(failed.status != 0, "\(failed)")
        #expect(failed.stderr.contains("message rejected"), "\(failed)")
        #expect(failed.stderr.contains("rolled back"), "\(failed)")
        #expect(try host.mustExec("cat", "\(Self.hostDirectory)/message") == "second\n")
        #expect(try page(host) == "second\n")
        #expect(try mainPID(host) == pid)
        #expect(!bad.isEmpty)

        // A file removed from git leaves the host; the unit is unchanged (same directory), so a reload.
        try commit(host, Self.repository(message: "third\n"), message: "Drop extra")
        let removed = try host.once()
        #expect(removed.status == 0, "\(removed)")
        #expect(removed.stdout.contains("remove-file \(Self.hostDirectory)/extra"), "\(removed)")
        #expect(try host.exec("test", "-e", "\(Self.hostDirectory)/extra").status != 0)
        #expect(try page(host) == "third\n")
        #expect(try mainPID(host) == pid)

        // A unit change restarts: a new container.
        try commit(host, Self.repository(message: "third\n", environment: "v2"), message: "New edition")
        let restarted = try host.once()
        #expect(restarted.status == 0, "\(restarted)")
        #expect(restarted.stdout.contains("restart cfgapp.service"), "\(restarted)")
        #expect(try containerID(host) != container)
        #expect(try page(host) == "third\n")
        try host.stop()
    }

    @Test(.timeLimit(.minutes(60)))
    func aPlainUnitWithExecReloadIsReloadedWhenItsFileChanges() throws {
        let host = try TestHost.bootFresh("e2e-cfgu")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        let directory = "/var/lib/reconciler/files/unit+cfgunit.service/etc+app"
        func repository(_ message: String) -> [String: String] {
            [
                "desired-state/cfgunit.yaml": """
                apiVersion: reconciler/v1
                kind: Unit
                name: cfgunit.service
                files:
                  - {source: desired-state/app/server.py, target: /etc/app/server.py}
                  - {source: desired-state/app/message, target: /etc/app/message}
                contents: |
                  [Service]
                  Environment=PORT=8221
                  ExecStart=/usr/bin/python3 \(directory)/server.py
                  ExecReload=/usr/bin/python3 \(directory)/server.py --reload
                  [Install]
                  WantedBy=multi-user.target

                """,
                "desired-state/app/server.py": Self.server,
                "desired-state/app/message": message,
            ]
        }
        try host.writeRepository(repository("one\n"), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")
        let first = try host.once()
        #expect(first.status == 0, "\(first)")
        let url = "http://127.0.0.1:8221/"
        #expect(try host.mustExec("sh", "-c", "sleep 1; curl -fsS --max-time 5 \(url)") == "one\n")
        let pid = try host.mustExec("systemctl", "show", "--property", "MainPID", "--value", "cfgunit.service").trimmed

        try commit(host, repository("two\n"), message: "Second message")
        let reloaded = try host.once()
        #expect(reloaded.status == 0, "\(reloaded)")
        #expect(reloaded.stdout.contains("reload cfgunit.service"), "\(reloaded)")
        #expect(try host.mustExec("curl", "-fsS", "--max-time", "5", url) == "two\n")
        #expect(
            try host.mustExec("systemctl", "show", "--property", "MainPID", "--value", "cfgunit.service").trimmed
                == pid)
        try host.stop()
    }
}
