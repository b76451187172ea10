import Foundation

/// The `http:` probe: one GET, and a 2xx or 3xx status line, all before the try's deadline.
extension HealthProbe {
    static func http(_ url: String, seconds: Double) -> Result<Void, ProbeFailure> {
        guard url.hasPrefix("http://") else { return .failure(ProbeFailure(message: "only http:// is probed")) }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let host = authority.split(separator: ":").first.map(String.init) ?? "127.0.0.1"
        let port = authority.split(separator: ":").dropFirst().first.flatMap { Int($0) } ?? 80
        let socket: ProbeSocket
        switch ProbeSocket.connect(host: host, port: port, seconds: seconds) {
        case .success(let connected): socket = connected
        case .failure(let failure): return .failure(failure)
        }
        defer { socket.close() }
        let request =
            "GET \(path.isEmpty ? "/" : String(path)) HTTP/1.0\r\nHost: \(authority)\r\nUser-Agent: reconciler\r\n\r\n"
        // A fresh connection's send buffer holds the whole request: the send does not block.
        _ = request.withCString { send(socket.descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        guard socket.wait(for: Int16(POLLIN)) else {
            return .failure(
                ProbeFailure(message: "\(url) did not answer within \(ProbeSocket.shown(seconds)) s"))
        }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(socket.descriptor, &buffer, buffer.count, 0)
        guard count > 0 else {
            return .failure(ProbeFailure(message: "\(url) closed the connection without answering"))
        }
        let statusLine = String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return (200..<400).contains(status)
            ? .success(()) : .failure(ProbeFailure(message: "\(url) answered '\(statusLine)'"))
    }
}
