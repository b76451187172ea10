import Foundation
import ReconcilerCore
import ReconcilerHealth
import Testing

/// The probes against real sockets and real programs, on the real clock.
@Suite(.serialized)
struct HealthProbeTests {
    struct RealClock: WallClock {
        func now() -> Date { Date() }
        func sleep(seconds: Double) { Thread.sleep(forTimeInterval: seconds) }
    }

    /// A listening socket on 127.0.0.1 with a port of the kernel's choice.
    final class Listener {
        let descriptor: Int32
        let port: Int
        /// Connections made to fill the accept queue, closed with the listener.
        private var fillers: [Int32] = []

        init(backlog: Int32 = 16) throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try #require(bound == 0 && listen(descriptor, backlog) == 0)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            self.descriptor = descriptor
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        /// Fills the accept queue, which nothing empties: the kernel then drops new SYNs, as a
        /// firewall that blackholes them would, and a connect waits for minutes.
        func fillAcceptQueue() {
            for _ in 0..<4 {
                let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                _ = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                fillers.append(filler)
            }
            // Let the handshakes of the fillers complete.
            Thread.sleep(forTimeInterval: 0.2)
        }

        deinit {
            for filler in fillers { close(filler) }
            close(descriptor)
        }
    }

    /// A port nothing listens on: bound once, then closed.
    static func closedPort() throws -> Int {
        let listener = try Listener()
        return listener.port
    }

    static func check(_ probe: HealthCheck.Probe, timeout: Duration = .seconds(2)) -> HealthOutcome {
        HealthProbe(interval: 0.2, clock: RealClock()).wait(for: HealthCheck(probe: probe, timeout: timeout))
    }

    @Test("a tcp probe passes on a listening socket")
    func tcpPassesOnAListeningSocket() throws {
        let listener = try Listener()

        #expect(Self.check(.tcp(port: listener.port)).passed)
    }

    @Test("a tcp probe fails on a closed port and says nothing listens there")
    func tcpFailsOnAClosedPort() throws {
        let port = try Self.closedPort()

        let outcome = Self.check(.tcp(port: port), timeout: .milliseconds(500))

        #expect(!outcome.passed)
        #expect(outcome.detail == "nothing accepts connections on 127.0.0.1:\(port)")
    }

    @Test(
        "a connect that is never answered ends at the check's timeout",
        arguments: [HealthCheck.Probe.tcp(port: 0), .http(url: "http://127.0.0.1:0/healthz")])
    func aConnectNeverAnsweredEndsAtTheTimeout(_ template: HealthCheck.Probe) throws {
        let listener = try Listener(backlog: 0)
        listener.fillAcceptQueue()
        let probe: HealthCheck.Probe =
            switch template {
            case .tcp: .tcp(port: listener.port)
            default: .http(url: "http://127.0.0.1:\(listener.port)/healthz")
            }
        let started = Date()

        let outcome = Self.check(probe, timeout: .seconds(2))

        let elapsed = Date().timeIntervalSince(started)
        #expect(!outcome.passed)
        #expect(outcome.detail.contains("did not finish within"), "\(outcome.detail)")
        #expect(elapsed < 3, "took \(elapsed) s")
    }

    @Test("a quiet poll's probe tries once, and a silent server is given up after five seconds")
    func aQuietProbeTriesOnce() throws {
        let listener = try Listener()
        let probe = HealthProbe(interval: 0.2, clock: RealClock())
        #expect(probe.probe(HealthCheck(probe: .tcp(port: listener.port), timeout: .seconds(60))).passed)

        let closed = try Self.closedPort()
        let refused = probe.probe(HealthCheck(probe: .tcp(port: closed), timeout: .seconds(60)))
        #expect(!refused.passed)
        #expect(refused.seconds < 1, "one try, no retries for the check's 60 s")

        let silent = probe.probe(
            HealthCheck(probe: .http(url: "http://127.0.0.1:\(listener.port)/"), timeout: .seconds(60)))
        #expect(!silent.passed)
        #expect(silent.seconds >= 4.5 && silent.seconds < 10, "took \(silent.seconds) s")
    }

    @Test("an http server that accepts but never answers is given up at the check's timeout")
    func aSilentServerEndsAtTheTimeout() throws {
        let listener = try Listener()
        let started = Date()

        let outcome = Self.check(.http(url: "http://127.0.0.1:\(listener.port)/"), timeout: .seconds(1))

        #expect(!outcome.passed)
        #expect(outcome.detail.contains("did not answer within"), "\(outcome.detail)")
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test(
        "command probes find programs on PATH and pass on exit 0 only",
        arguments: [
            (["true"], true, nil),
            (["sh", "-c", "exit 0"], true, nil),
            (["sh", "-c", "exit 1"], false, "sh -c exit 1 ended with exited(1)"),
            (["/usr/bin/false"], false, "/usr/bin/false ended with exited(1)"),
            (
                ["no-such-health-program"], false,
                "no-such-health-program was not found in PATH (/usr/sbin:/usr/bin:/sbin:/bin); "
                    + "install it or give its full path"
            ),
        ] as [([String], Bool, String?)])
    func commandProbes(_ command: [String], passes: Bool, detail: String?) {
        let outcome = HealthProbe(interval: 0.2, clock: RealClock(), searchPath: "/usr/sbin:/usr/bin:/sbin:/bin")
            .wait(for: HealthCheck(probe: .command(command), timeout: .milliseconds(300)))

        #expect(outcome.passed == passes)
        if let detail { #expect(outcome.detail == detail) }
    }

    @Test("a command probe is looked up in the agent's PATH, relative entries skipped")
    func theAgentsPathIsSearched() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("check-blog")
        try "#!/bin/sh\n[ \"$PATH\" = \"$1\" ]\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let path = "relative/bin:\(directory.path):/usr/bin:/bin"

        let outcome = HealthProbe(clock: RealClock(), searchPath: path)
            .wait(for: HealthCheck(probe: .command(["check-blog", path]), timeout: .seconds(1)))

        #expect(outcome.passed, "\(outcome.detail)")
    }

    @Test("a hanging command is killed with its process group at the check's timeout")
    func aHangingCommandIsKilledWithItsGroup() throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let started = Date()

        let outcome = Self.check(
            .command(["/bin/sh", "-c", "/bin/sleep 60 & echo $! > \(pidFile.path); wait"]), timeout: .seconds(1))

        let elapsed = Date().timeIntervalSince(started)
        #expect(!outcome.passed)
        #expect(outcome.detail.hasSuffix("did not end within 1 s and was killed"), "\(outcome.detail)")
        #expect(elapsed < 2, "took \(elapsed) s")
        // The background sleep was in the command's process group: it is gone (or a zombie).
        let pid = try #require(
            Int32(String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        var gone = false
        for _ in 0..<50 where !gone {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            gone = stat.isEmpty || stat.split(separator: ")").last?.split(separator: " ").first == "Z"
            if !gone { Thread.sleep(forTimeInterval: 0.02) }
        }
        if !gone { kill(pid, SIGKILL) }
        #expect(gone)
    }
}
