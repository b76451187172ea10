import Foundation
import Testing

/// The foundation on a real systemd host: the release binary talks to the host's systemd
/// over D-Bus, logs to its journald, and podman runs containers under units there.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct FoundationEndToEndTests {
    static let hostName = "e2e-base"

    func host() throws -> TestHost { try TestHost.boot(Self.hostName) }

    func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(text)")
    }

    @Test(.timeLimit(.minutes(60)))
    func statusReportsTheSameSystemdVersionAsSystemctl() throws {
        let host = try host()
        let systemctl = try host.mustExec("systemctl", "--version")
        // "systemd 252 (252.39-1~deb12u2)" -> "252.39-1~deb12u2"
        let firstLine = systemctl.split(separator: "\n").first.map(String.init) ?? ""
        let expected = try #require(
            firstLine.split(separator: "(").last?.split(separator: ")").first.map(String.init),
            "unexpected systemctl --version output: \(firstLine)")

        let report = try json(host.mustExec("reconciler", "status", "--output", "json"))
        let systemd = try #require(report["systemd"] as? [String: Any])
        let state = try host.exec("systemctl", "is-system-running").stdout.trimmed

        #expect(systemd["version"] as? String == expected)
        #expect(systemd["systemState"] as? String == state)
        #expect(report["host"] as? String == Self.hostName)
        #expect(report["applied"] is NSNull)
    }

    @Test(.timeLimit(.minutes(60)))
    func statusInTextShowsHostSystemdAndNothingAppliedYet() throws {
        let output = try host().mustExec("reconciler", "status")
        #expect(output.contains("host:     \(Self.hostName)\n"))
        #expect(output.contains("systemd:  252"))
        #expect(output.contains("applied:  nothing applied yet"))
    }

    @Test(.timeLimit(.minutes(60)))
    func statusListsFailedUnitsReadOverTheBus() throws {
        let host = try host()
        let unit = "e2e-fails-\(UInt32.random(in: 0...UInt32.max)).service"
        host.ignoreFailure { try host.exec("systemd-run", "--unit", unit, "--wait", "/bin/false") }
        defer { _ = try? host.exec("systemctl", "reset-failed", unit) }

        let report = try json(host.mustExec("reconciler", "status", "--output", "json"))

        let failed = try #require(report["failedUnits"] as? [String])
        #expect(failed.contains(unit))
        #expect((report["systemd"] as? [String: Any])?["systemState"] as? String == "degraded")
    }

    @Test(.timeLimit(.minutes(60)))
    func statusWithoutASystemBusFailsWithAClearMessage() throws {
        let result = try host().exec(
            "env", "DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/nothing-here", "reconciler", "status")
        #expect(result.status == 1)
        #expect(result.stderr.contains("Error: cannot read the service manager's state: connect to the system bus"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test(.timeLimit(.minutes(60)))
    func theJournaldHandlerWritesReconcilerFieldsThatJournalctlReadsBack() throws {
        let host = try host()
        let cursor = try host.mustExec("journalctl", "-n", "0", "--show-cursor", "--quiet").cursor
        try host.mustExec("reconciler", "status", "--log-level", "debug", "--log-target", "journal")

        // journalctl 252 returns nothing for a field match combined with --after-cursor,
        // so the identifier is filtered here.
        let entry = try #require(
            try host.journalEntries("--after-cursor", cursor).first {
                $0["SYSLOG_IDENTIFIER"] as? String == "reconciler" && $0["MESSAGE"] as? String == "read service manager"
            })

        #expect(entry["PRIORITY"] as? String == "7")
        #expect(entry["SYSLOG_IDENTIFIER"] as? String == "reconciler")
        #expect((entry["RECONCILER_SYSTEMD_VERSION"] as? String)?.hasPrefix("252") == true)
        #expect(entry["RECONCILER_SYSTEMD_STATE"] as? String != nil)
        #expect(entry["_TRANSPORT"] as? String == "journal")
    }

    @Test(.timeLimit(.minutes(60)))
    func underASystemdUnitLogsGoToTheJournalWithoutAnyFlag() throws {
        let host = try host()
        let unit = "e2e-status-\(UInt32.random(in: 0...UInt32.max)).service"
        try host.mustExec(
            "systemd-run", "--unit", unit, "--wait", "--quiet",
            "/usr/local/bin/reconciler", "status", "--log-level", "debug")

        let entries = try host.journalEntries("-u", unit, "RECONCILER_SYSTEMD_VERSION=\(try systemdVersion(host))")

        #expect(
            entries.contains {
                $0["MESSAGE"] as? String == "read service manager" && $0["_TRANSPORT"] as? String == "journal"
            })
    }

    @Test(.timeLimit(.minutes(60)))
    func onATerminalLogsAreReadableLinesOnStandardError() throws {
        let result = try host().exec("reconciler", "status", "--log-level", "debug")
        #expect(result.status == 0)
        #expect(result.stderr.contains("read service manager"))
        #expect(result.stderr.contains("systemd.version=252"))
    }

    @Test(.timeLimit(.minutes(60)))
    func podmanRunsAContainerUnderAUnitAndItsPortAnswersFromOutside() throws {
        let host = try host()
        let unit = "e2e-web"
        _ = try? host.exec("systemctl", "stop", unit)
        _ = try? host.exec("systemctl", "reset-failed", unit)
        defer { _ = try? host.exec("systemctl", "stop", unit) }
        // The shape of unit Podman Quadlet writes; see TESTBED.md for each setting.
        try host.mustExec(
            "systemd-run", "--unit", unit, "-p", "Type=notify", "-p", "NotifyAccess=all", "-p", "Delegate=yes",
            "-p", "KillMode=mixed",
            "/usr/bin/podman", "run", "--name", unit, "--replace", "--rm", "--cgroups=split", "--sdnotify=conmon",
            "-p", "8080:8080", "docker.io/library/python:3.11-slim",
            "python", "-c",
            """
            import http.server, signal, sys
            # PID 1 in a container has no default SIGTERM action: exit on it, or stopping waits for SIGKILL.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            class Hello(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"hello from the testbed")
            http.server.HTTPServer(("", 8080), Hello).serve_forever()
            """)

        let body = try HTTPProbe.waitForOK("http://\(host.address):8080/", timeout: 60)

        #expect(body == "hello from the testbed")
        #expect(try host.mustExec("systemctl", "is-active", unit).trimmed == "active")
        let stop = ContinuousClock().measure { _ = try? host.exec("systemctl", "stop", unit) }
        #expect(stop < .seconds(30), "stopping the unit should not wait for systemd's SIGKILL timeout")
        #expect(try host.exec("podman", "container", "exists", unit).status == 1, "--rm removes the container")
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The cursor from `journalctl --show-cursor` output ("-- cursor: s=...").
    var cursor: String {
        split(separator: "\n").last { $0.hasPrefix("-- cursor: ") }.map { String($0.dropFirst(11)) } ?? ""
    }
}

extension FoundationEndToEndTests {
    func systemdVersion(_ host: TestHost) throws -> String {
        let report = try json(host.mustExec("reconciler", "status", "--output", "json"))
        return try #require((report["systemd"] as? [String: Any])?["version"] as? String)
    }
}

extension TestHost {
    /// Journal entries matching `arguments` as JSON objects. journald receives entries over a
    /// datagram socket and may not have stored the newest one yet, so this waits up to five
    /// seconds for at least one match.
    func journalEntries(_ arguments: String...) throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(5)
        while true {
            let output = try mustExec(["journalctl", "-o", "json", "--no-pager"] + arguments)
            let entries = output.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
            if !entries.isEmpty || Date() > deadline { return entries }
            usleep(100_000)
        }
    }

    /// Runs something whose failure is the point (e.g. a unit that must fail).
    func ignoreFailure(_ body: () throws -> Void) {
        _ = try? body()
    }
}
