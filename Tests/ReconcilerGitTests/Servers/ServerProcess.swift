import Foundation
import Glibc

/// A long-running server child process: started, waited for until it accepts connections on its
/// port, and killed (SIGTERM, then SIGKILL) by `stop()` or when released. Spawned by `ChildProcess`,
/// never Foundation's Process (see there why).
final class ServerProcess {
    let logPath: String
    private let pid: pid_t
    private var exited = false

    /// The server's stdout and stderr so far.
    var log: String {
        String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self)
    }

    private init(executable: String, arguments: [String], environment: [String: String], logPath: String) throws {
        self.logPath = logPath
        pid = try ChildProcess.spawn(executable, arguments, environment: environment, stdout: logPath)
    }

    deinit { stop() }

    /// Whether the server is still running; reaps it once it has exited.
    var isRunning: Bool {
        guard !exited else { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || (result < 0 && errno == ECHILD) { exited = true }
        return !exited
    }

    /// Starts a server on a fresh port and waits until it accepts connections. `command` gets the
    /// port and returns the executable and its arguments (writing any config file that names the
    /// port). When the server exits early, typically because another process took the port between
    /// `FreePort.next()` and its bind, it is retried on a new port.
    static func start(
        name: String, in directory: ServerDirectory, environment: [String: String] = ServerTool.isolatedGitEnvironment,
        timeout: TimeInterval = 10, command: (UInt16) throws -> (executable: String, arguments: [String])
    ) throws -> (process: ServerProcess, port: UInt16) {
        var lastLog = ""
        for _ in 1...3 {
            let port = try FreePort.next()
            let (executable, arguments) = try command(port)
            let server = try ServerProcess(
                executable: executable, arguments: arguments, environment: environment,
                logPath: directory.file("\(name).log"))
            let deadline = Date().addingTimeInterval(timeout)
            while server.isRunning && Date() < deadline {
                // Running and accepting: it is our server on that port, not someone else's.
                if LoopbackSocket.accepts(port: port) && server.isRunning { return (server, port) }
                usleep(20_000)
            }
            lastLog = server.log
            guard !server.isRunning else {
                server.stop()
                throw ServerError(
                    "\(name) did not accept connections on 127.0.0.1:\(port) within \(Int(timeout)) s. "
                        + "Its log (\(server.logPath)):\n\(lastLog)")
            }
        }
        throw ServerError("\(name) exited before accepting connections, 3 times. Its last log:\n\(lastLog)")
    }

    /// SIGTERM to the server's process group (the server and the children it forked), SIGKILL after
    /// 3 s. The group is signalled only while its leader is unreaped, so its id cannot have been
    /// reused. Idempotent.
    func stop() {
        guard isRunning else { return }
        kill(-pid, SIGTERM)
        let deadline = Date().addingTimeInterval(3)
        while isRunning && Date() < deadline { usleep(10_000) }
        guard isRunning else { return }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        exited = true
    }
}

/// A base directory of bare repositories for the servers to export, removed when released.
final class BareRepositories {
    let path: String
    private let directory: ServerDirectory

    init() throws {
        directory = try ServerDirectory("bare")
        path = directory.path
    }

    /// The absolute path of the bare repository `name` (`.git` appended unless present).
    func path(of name: String) -> String { directory.file(bareRepositoryName(name)) }

    /// `git clone --bare` of `source` as `name`; returns the bare repository's path.
    @discardableResult
    func addClone(of source: TemporaryGitRepository, as name: String) throws -> String {
        try ServerTool.checked(
            "/usr/bin/git", ["clone", "--quiet", "--bare", source.path, path(of: name)],
            environment: ServerTool.isolatedGitEnvironment)
        return path(of: name)
    }

    /// `git init --bare` as `name`, with `main` as its unborn HEAD; returns its path.
    @discardableResult
    func addEmpty(_ name: String) throws -> String {
        try ServerTool.checked(
            "/usr/bin/git", ["init", "--quiet", "--bare", "--initial-branch=main", path(of: name)],
            environment: ServerTool.isolatedGitEnvironment)
        return path(of: name)
    }
}
