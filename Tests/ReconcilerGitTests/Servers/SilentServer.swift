import Glibc

/// A TCP listener on 127.0.0.1 that never accepts and never sends a byte, for tests of clients that
/// would wait forever. No thread and no child process: the kernel completes the handshake for
/// connections in the listen backlog, so a client connects, sends its request into the socket
/// buffer and then waits for an answer that never comes. `stop()` closes the listener, which resets
/// the queued connections.
final class SilentServer {
    let port: UInt16
    private var descriptor: Int32

    init() throws {
        (descriptor, port) = try LoopbackSocket.open(backlog: 128)
    }

    deinit { stop() }

    /// `git://127.0.0.1:P/repo.git`, `http://...`, `https://...`, or `ssh://git@127.0.0.1:P/repo.git`.
    func url(scheme: String, repository: String = "repo.git") -> String {
        loopbackURL(scheme: scheme, port: port, repository: repository)
    }

    /// Closes the listener. Idempotent.
    func stop() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }
}
