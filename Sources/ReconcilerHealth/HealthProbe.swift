import Foundation
public import ReconcilerCore
import ReconcilerPOSIX

/// Runs a service's health check on this host until it passes or its timeout ends.
///
/// HTTP is spoken over a plain socket (HTTP/1.0, one GET), to keep libcurl out of a
/// statically linked agent; health endpoints are local (127.0.0.1) and plain HTTP.
public struct HealthProbe: HealthProber {
    /// Seconds between two tries.
    public var interval: Double
    /// Times the check and waits between tries.
    public var clock: any WallClock

    public init(interval: Double = 0.5, clock: any WallClock) {
        self.interval = interval
        self.clock = clock
    }

    public func wait(for check: HealthCheck) -> HealthOutcome {
        let started = clock.now()
        let parts = check.timeout.components
        let limit = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        var detail = "not run"
        while true {
            switch Self.probeOnce(check.probe) {
            case .success:
                return HealthOutcome(passed: true, detail: "ok", seconds: clock.now().timeIntervalSince(started))
            case .failure(let failure):
                detail = failure.message
            }
            let elapsed = clock.now().timeIntervalSince(started)
            if elapsed + interval > limit {
                return HealthOutcome(passed: false, detail: detail, seconds: elapsed)
            }
            clock.sleep(seconds: interval)
        }
    }

    struct ProbeFailure: Error {
        var message: String
    }

    static func probeOnce(_ probe: HealthCheck.Probe) -> Result<Void, ProbeFailure> {
        switch probe {
        case .http(let url):
            return http(url)
        case .tcp(let port):
            guard let descriptor = connectLoopback(host: "127.0.0.1", port: port) else {
                return .failure(ProbeFailure(message: "nothing accepts connections on 127.0.0.1:\(port)"))
            }
            close(descriptor)
            return .success(())
        case .command(let arguments):
            return command(arguments)
        }
    }

    private static func http(_ url: String) -> Result<Void, ProbeFailure> {
        guard url.hasPrefix("http://") else { return .failure(ProbeFailure(message: "only http:// is probed")) }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let host = authority.split(separator: ":").first.map(String.init) ?? "127.0.0.1"
        let port = authority.split(separator: ":").dropFirst().first.flatMap { Int($0) } ?? 80
        guard let descriptor = connectLoopback(host: host, port: port) else {
            return .failure(ProbeFailure(message: "nothing accepts connections on \(host):\(port)"))
        }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request =
            "GET \(path.isEmpty ? "/" : String(path)) HTTP/1.0\r\nHost: \(authority)\r\nUser-Agent: reconciler\r\n\r\n"
        _ = request.withCString { send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else {
            return .failure(ProbeFailure(message: "\(url) closed the connection without answering"))
        }
        let statusLine = String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return (200..<400).contains(status)
            ? .success(()) : .failure(ProbeFailure(message: "\(url) answered '\(statusLine)'"))
    }

    private static func connectLoopback(host: String, port: Int) -> Int32? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else { return nil }
        defer { freeaddrinfo(results) }
        let descriptor = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        guard connect(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    private static func command(_ arguments: [String]) -> Result<Void, ProbeFailure> {
        guard let executable = arguments.first else { return .failure(ProbeFailure(message: "empty command")) }
        let termination: ChildProcess.Termination
        do {
            termination = try ChildProcess.run(
                executable, Array(arguments.dropFirst()), environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"],
                standardOutput: "/dev/null", standardError: nil, timeout: 30)
        } catch {
            return .failure(ProbeFailure(message: "cannot run \(executable): \(error)"))
        }
        return termination == .exited(0)
            ? .success(())
            : .failure(ProbeFailure(message: "\(arguments.joined(separator: " ")) ended with \(termination)"))
    }
}
