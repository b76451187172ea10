import Foundation
import Glibc

/// A TCP proxy on 127.0.0.1 in front of a real server that sends the server's bytes to the
/// client slowly: `chunk` bytes every `interval` seconds, and none at all after `stallAfter`
/// bytes (the connection stays open, silent). For tests of deadlines that must tell a slow
/// but live server from a stalled one. Requests from the client pass at full speed.
final class TrickleProxy: @unchecked Sendable {
    let port: UInt16
    private let upstreamPort: UInt16
    private let chunk: Int
    private let interval: Double
    private let stallAfter: Int?
    private let lock = NSLock()
    private var listener: Int32
    private var connections: [Int32] = []
    private var stopped = false

    init(upstreamPort: UInt16, chunk: Int, interval: Double, stallAfter: Int? = nil) throws {
        self.upstreamPort = upstreamPort
        self.chunk = chunk
        self.interval = interval
        self.stallAfter = stallAfter
        (listener, port) = try LoopbackSocket.open(backlog: 16)
        let listener = listener
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                serve(client)
            }
        }
    }

    deinit { stop() }

    func url(for repository: String) -> String {
        loopbackURL(scheme: "git", port: port, repository: repository)
    }

    /// Closes the listener and every connection. Idempotent.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for connection in connections { shutdown(connection, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func serve(_ client: Int32) {
        guard let (upstream, _) = try? LoopbackSocket.open(), connectToUpstream(upstream) else {
            close(client)
            return
        }
        lock.lock()
        connections += [client, upstream]
        lock.unlock()
        Thread.detachNewThread { [self] in pump(from: client, to: upstream, slowly: false) }
        Thread.detachNewThread { [self] in pump(from: upstream, to: client, slowly: true) }
    }

    private func connectToUpstream(_ descriptor: Int32) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = upstreamPort.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private func pump(from source: Int32, to target: Int32, slowly: Bool) {
        var buffer = [UInt8](repeating: 0, count: slowly ? chunk : 65536)
        var sent = 0
        while !isStopped {
            if slowly, let stallAfter, sent >= stallAfter {
                usleep(50_000)  // silent, connection open, until the test stops the proxy
                continue
            }
            let wanted = slowly ? min(buffer.count, (stallAfter ?? Int.max) - sent) : buffer.count
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, wanted, 0) }
            guard count > 0 else { break }
            var offset = 0
            while offset < count {
                let written = buffer[offset..<count].withUnsafeBytes {
                    send(target, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard written > 0 else { return }
                offset += written
            }
            sent += count
            if slowly { usleep(UInt32(interval * 1_000_000)) }
        }
        shutdown(target, Int32(SHUT_WR))
    }
}
