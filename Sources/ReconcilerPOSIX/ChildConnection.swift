import Foundation

/// A long-lived child spoken to in lines: its stdin and stdout are one end of a Unix socket
/// pair, so a request costs a write and a read instead of a process start.
///
/// A socket rather than pipes: `send` with MSG_NOSIGNAL reports a child that went away as
/// EPIPE instead of killing the caller with SIGPIPE. The parent's end is close-on-exec, so
/// other children (podman, health commands) never hold it, and the child sees end-of-file
/// the moment its parent closes it or dies. Like `ChildProcess.run`, the child gets its own
/// process group, killed whole when it is stopped.
///
/// Not `Sendable`: one caller at a time.
public final class ChildConnection {
    public let pid: Int32
    private var socket: Int32
    private var buffered: [UInt8] = []
    private var termination: ChildProcess.Termination?

    /// What waiting for a line ended with.
    public enum Reply: Equatable {
        case line([UInt8])
        /// The child closed its end (it exited or was killed) before a whole line came.
        case ended(ChildProcess.Termination)
        /// `keepWaiting` said no, or the deadline passed: the child was killed.
        case gaveUp
    }

    private init(pid: Int32, socket: Int32) {
        self.pid = pid
        self.socket = socket
    }

    deinit { stop() }

    /// Starts `executable` with its stdin and stdout on a socket and stderr to a file.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String], standardError: String
    ) throws(ChildProcess.SpawnFailure) -> ChildConnection {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw ChildProcess.SpawnFailure(errno: errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies, so only fds 0 and 1 reach the child.
        posix_spawn_file_actions_adddup2(&actions, ends[1], 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(executable, arguments, environment: environment, actions: &actions)
        } catch {
            close(ends[0])
            close(ends[1])
            throw error
        }
        close(ends[1])
        return ChildConnection(pid: pid, socket: ends[0])
    }

    /// Sends `bytes`; false when the child is gone.
    public func send(_ bytes: [UInt8]) -> Bool {
        guard socket >= 0 else { return false }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// The next line the child writes (without its newline), waiting at most `timeout`
    /// seconds and asking `keepWaiting` with the pid every quarter second.
    public func readLine(timeout: Double, keepWaiting: (Int32) -> Bool) -> Reply {
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let newline = buffered.firstIndex(of: 10) {
                let line = Array(buffered[..<newline])
                buffered.removeSubrange(...newline)
                return .line(line)
            }
            guard socket >= 0 else { return .ended(reap()) }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 {
                stop()
                return .gaveUp
            }
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 0.25) * 1000) + 1)
            if ready < 0 && errno != EINTR { return .ended(reap()) }
            if ready <= 0 {
                if !keepWaiting(pid) {
                    stop()
                    return .gaveUp
                }
                continue
            }
            let count = read(socket, &chunk, chunk.count)
            if count > 0 {
                buffered.append(contentsOf: chunk[..<count])
            } else if count == 0 || errno != EINTR {
                return .ended(reap())
            }
        }
    }

    /// Whether the child is still running (an exited one is reaped).
    public var isRunning: Bool {
        guard termination == nil, socket >= 0 else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            termination = Self.termination(status)
            closeSocket()
            return false
        }
        return true
    }

    /// Kills the child's process group and reaps it.
    public func stop() {
        guard termination == nil else {
            closeSocket()
            return
        }
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
        closeSocket()
        _ = reap()
    }

    /// Waits for the child that closed its end to exit, killing it after a second if it lingers.
    private func reap() -> ChildProcess.Termination {
        closeSocket()
        if let termination { return termination }
        var status: Int32 = 0
        for attempt in 0...100 {
            let result = waitpid(pid, &status, attempt == 100 ? 0 : WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR {
                termination = .exited(-1)
                return .exited(-1)
            }
            if attempt == 99 {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
            usleep(10_000)
        }
        let ended = Self.termination(status)
        termination = ended
        return ended
    }

    private func closeSocket() {
        if socket >= 0 { close(socket) }
        socket = -1
    }

    private static func termination(_ status: Int32) -> ChildProcess.Termination {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}
