import Foundation

/// A TCP connection of a probe: non-blocking, so connecting and waiting for an answer end at
/// a deadline. A blocking connect to an address that drops SYNs waits about two minutes.
struct ProbeSocket {
    let descriptor: Int32
    /// When the try that opened the socket must end.
    let deadline: Date

    /// Connects to `host:port`, giving up after `seconds`.
    static func connect(host: String, port: Int, seconds: Double) -> Result<ProbeSocket, HealthProbe.ProbeFailure> {
        let deadline = Date(timeIntervalSinceNow: seconds)
        let address = "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(host, String(port), &hints, &results)
        guard lookup == 0, let first = results else {
            let reason = String(cString: gai_strerror(lookup))
            return .failure(HealthProbe.ProbeFailure(message: "cannot resolve \(host): \(reason)"))
        }
        defer { freeaddrinfo(results) }
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let descriptor = socket(first.pointee.ai_family, type, 0)
        guard descriptor >= 0 else {
            return .failure(
                HealthProbe.ProbeFailure(message: "cannot open a socket: \(String(cString: strerror(errno)))"))
        }
        let socket = ProbeSocket(descriptor: descriptor, deadline: deadline)
        var code: Int32 = 0
        if Glibc.connect(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            code = errno
            if code == EINPROGRESS {
                guard socket.wait(for: Int16(POLLOUT)) else {
                    socket.close()
                    return .failure(
                        HealthProbe.ProbeFailure(
                            message: "connecting to \(address) did not finish within \(Self.shown(seconds)) s"))
                }
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &code, &length)
            }
        }
        guard code == 0 else {
            socket.close()
            let message =
                code == ECONNREFUSED
                ? "nothing accepts connections on \(address)"
                : "cannot connect to \(address): \(String(cString: strerror(code)))"
            return .failure(HealthProbe.ProbeFailure(message: message))
        }
        return .success(socket)
    }

    /// Waits until `events` are ready or the deadline passes; false at the deadline.
    func wait(for events: Int16) -> Bool {
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left * 1000, 3_600_000).rounded(.up)))
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return false }
        }
    }

    func close() {
        Glibc.close(descriptor)
    }

    /// Seconds to a tenth, "2" rather than "2.0" (a try's time left is a hair under the timeout).
    static func shown(_ seconds: Double) -> String {
        let tenths = (seconds * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(format: "%.1f", tenths)
    }
}
