import Foundation
import ReconcilerCore
import ReconcilerPOSIX

/// How to start the network helper: an executable and the arguments that select
/// `RemoteHelper` in it (for the `reconciler` binary: `git-helper`).
public struct RemoteHelperLauncher: Sendable, Equatable {
    public var executable: String
    public var arguments: [String]

    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// The running binary itself, which must be `reconciler`.
    public static func currentExecutable() -> RemoteHelperLauncher {
        let path =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return RemoteHelperLauncher(executable: path, arguments: ["git-helper"])
    }
}

/// Runs `RemoteRequest`s in a long-lived child process, one at a time, and kills it when it
/// stalls (no sign of life for `timeout` seconds) or at a generous overall deadline, so a slow
/// but live clone finishes. The next request starts a new helper.
///
/// libgit2 1.5 blocks forever on a server that accepts a connection and sends nothing, and
/// `git_remote_stop` cannot interrupt that. A process can be killed; a blocked thread cannot.
/// The helper starts no processes of its own (ssh is libssh2, in process), so killing it
/// ends the operation, and the kernel releases its mirror lock.
///
/// The helper stays up between requests (`git-helper --serve`, a request and its response
/// one JSON line each on a socket), so an idle poll starts no process: starting one cost
/// about 35 ms of CPU, most of it libgit2 loading the CA bundle, on every poll.
final class RemoteHelperProcess {
    let launcher: RemoteHelperLauncher
    /// The helper's `HOME`: empty, so libgit2 reads no `~/.ssh/known_hosts` or `~/.gitconfig`.
    let homeDirectory: String
    /// Seconds without progress (no byte read or written) before the helper is killed.
    let timeout: Double
    /// The running helper.
    private var running: Helper?

    /// A started helper, the CA file it loaded (a process-wide libgit2 setting) and its files,
    /// named for it alone: two sources on one state directory may each run one.
    private struct Helper {
        var connection: ChildConnection
        var caFile: String?
        var workerFile: String
        var errorPath: String
    }

    init(launcher: RemoteHelperLauncher, homeDirectory: String, timeout: Double) {
        self.launcher = launcher
        self.homeDirectory = homeDirectory
        self.timeout = timeout
    }

    /// Seconds the helper may run in all, however steadily it moves data: 30 minutes, as long
    /// as an image build may take, so one step still ends before the agent's watchdog gives
    /// up on it (35 minutes without progress).
    var overallTimeout: Double { max(timeout, 1800) }

    /// The pid of the helper while one runs, for tests and benchmarks.
    var helperPID: pid_t? { running.flatMap { $0.connection.isRunning ? $0.connection.pid : nil } }

    /// The environment variable naming the file where the helper names its worker thread.
    static let workerFileVariable = "RECONCILER_GIT_WORKER_FILE"
    /// The argument that keeps the helper answering requests until its stdin ends.
    static let serveArgument = "--serve"

    /// What travels to the helper: the request, and a password written into the URL, which
    /// is taken out of the request so that it never reaches a file, a log or the helper's
    /// environment; the socket carries it and keeps nothing.
    struct Envelope: Codable {
        var request: RemoteRequest
        var urlPassword: String?
    }

    enum Outcome {
        case answered(RemoteResponse)
        /// Killed after `timeout` seconds without progress; `progress` says how far it got.
        case stalled(progress: String)
        /// Killed at `overallTimeout`, although it was still making progress.
        case overran
        /// The helper died or answered nonsense; `detail` has its exit status and stderr.
        case crashed(detail: String)
    }

    func run(_ request: RemoteRequest) throws -> Outcome {
        var envelope = Envelope(request: request)
        if let url = GitURL(request.url), let password = url.password {
            envelope.urlPassword = password
            envelope.request.url = url.withoutPassword
        }
        var line = Array(try JSONEncoder().encode(envelope))
        line.append(10)
        let helper = try helper(caFile: request.credentials.caFile)
        if !helper.connection.send(line) {
            // It died since the last request (e.g. killed by an operator): one fresh start.
            stop()
            let fresh = try self.helper(caFile: request.credentials.caFile)
            guard fresh.connection.send(line) else { return crashed(fresh, reply: .gaveUp) }
            return wait(for: fresh)
        }
        return wait(for: helper)
    }

    /// Stops the helper; the next request starts a new one.
    func stop() {
        guard let running else { return }
        running.connection.stop()
        try? FileManager.default.removeItem(atPath: running.workerFile)
        try? FileManager.default.removeItem(atPath: running.errorPath)
        self.running = nil
    }

    deinit { stop() }

    private func wait(for helper: Helper) -> Outcome {
        let progress = HelperProgress(idleTimeout: timeout, workerFile: helper.workerFile)
        let reply = helper.connection.readLine(timeout: overallTimeout, keepWaiting: progress.keepWaiting)
        switch reply {
        case .line(let bytes):
            if let response = try? JSONDecoder().decode(RemoteResponse.self, from: Data(bytes)) {
                return .answered(response)
            }
            stop()
            return .crashed(
                detail:
                    "answered something that is not a response: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        case .gaveUp:
            stop()
            return progress.stalled ? .stalled(progress: progress.summary) : .overran
        case .ended:
            return crashed(helper, reply: reply)
        }
    }

    private func crashed(_ helper: Helper, reply: ChildConnection.Reply) -> Outcome {
        helper.connection.stop()
        let stderr = String(decoding: FileManager.default.contents(atPath: helper.errorPath) ?? Data(), as: UTF8.self)
        stop()
        let status: String =
            switch reply {
            case .ended(.exited(let code)): "exit status \(code)"
            case .ended(.signaled(let signal)): "killed by signal \(signal)"
            default: "not reachable"
            }
        return .crashed(detail: "\(status); \(stderr.suffix(2000))")
    }

    /// The running helper, started when there is none or it loaded another CA file.
    private func helper(caFile: String?) throws -> Helper {
        if let running, running.caFile == caFile, running.connection.isRunning { return running }
        stop()
        try FileManager.default.createDirectory(atPath: homeDirectory, withIntermediateDirectories: true)
        let name = "helper-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let workerFile = homeDirectory + "/" + name + ".worker"
        let errorPath = homeDirectory + "/" + name + ".stderr"
        var arguments = launcher.arguments + [Self.serveArgument]
        if let caFile { arguments += ["--ca-file", caFile] }
        let connection = try ChildConnection.start(
            launcher.executable, arguments, environment: environment(workerFile: workerFile), standardError: errorPath)
        let started = Helper(connection: connection, caFile: caFile, workerFile: workerFile, errorPath: errorPath)
        running = started
        return started
    }

    /// A small, explicit environment: proxies pass through (libgit2 honours them), nothing else.
    private func environment(workerFile: String) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var environment = ["HOME": homeDirectory, "LANG": "C.UTF-8", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        environment[Self.workerFileVariable] = workerFile
        for name in ["http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"] {
            environment[name] = inherited[name]
        }
        return environment
    }
}
