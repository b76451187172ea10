import Foundation
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

/// Runs one `RemoteRequest` in a child process and kills it when it stalls (no byte moved for
/// `timeout` seconds) or at a generous overall deadline, so a slow but live clone finishes.
///
/// libgit2 1.5 blocks forever on a server that accepts a connection and sends nothing, and
/// `git_remote_stop` cannot interrupt that. A process can be killed; a blocked thread cannot.
/// The helper starts no processes of its own (ssh is libssh2, in process), so killing it
/// ends the operation, and the kernel releases its mirror lock.
struct RemoteHelperProcess {
    var launcher: RemoteHelperLauncher
    /// The helper's `HOME`: empty, so libgit2 reads no `~/.ssh/known_hosts` or `~/.gitconfig`.
    var homeDirectory: String
    /// Seconds without progress (no byte read or written) before the helper is killed.
    var timeout: Double

    /// Seconds the helper may run in all, however steadily it moves data: 30 minutes, as long
    /// as an image build may take, so one step still ends before the agent's watchdog gives
    /// up on it (35 minutes without progress).
    var overallTimeout: Double { max(timeout, 1800) }

    /// The environment variable that hands the helper the URL's password.
    static let urlPasswordVariable = "RECONCILER_GIT_URL_PASSWORD"
    /// The environment variable naming the file where the helper names its worker thread.
    static let workerFileVariable = "RECONCILER_GIT_WORKER_FILE"

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
        let manager = FileManager.default
        try manager.createDirectory(atPath: homeDirectory, withIntermediateDirectories: true)
        let scratch = homeDirectory + "/exchange-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try manager.createDirectory(atPath: scratch, withIntermediateDirectories: false)
        defer { try? manager.removeItem(atPath: scratch) }

        // Files rather than pipes: nothing can block on a full pipe, and a killed helper
        // leaves whatever it wrote readable.
        let requestPath = scratch + "/request.json"
        let responsePath = scratch + "/response.json"
        let errorPath = scratch + "/stderr"
        // A password written into the URL travels in the helper's environment (readable only
        // by its user, gone with the process), never in the request file: a helper or agent
        // killed now must leave no file holding it.
        var request = request
        var urlPassword: String?
        if let url = GitURL(request.url), let password = url.password {
            urlPassword = password
            request.url = url.withoutPassword
        }
        let encoder = JSONEncoder()
        try encoder.encode(request).write(to: URL(fileURLWithPath: requestPath))
        _ = manager.createFile(atPath: responsePath, contents: nil)
        _ = manager.createFile(atPath: errorPath, contents: nil)

        let progress = HelperProgress(idleTimeout: timeout, workerFile: scratch + "/worker")
        let termination = try ChildProcess.run(
            launcher.executable, launcher.arguments,
            environment: environment(urlPassword: urlPassword, workerFile: progress.workerFile),
            standardInput: requestPath,
            standardOutput: responsePath, standardError: errorPath, timeout: overallTimeout,
            keepWaiting: progress.keepWaiting)
        let output = manager.contents(atPath: responsePath) ?? Data()
        switch termination {
        case .timedOut:
            return progress.stalled ? .stalled(progress: progress.summary) : .overran
        case .exited(0):
            if let response = try? JSONDecoder().decode(RemoteResponse.self, from: output) {
                return .answered(response)
            }
        default:
            break
        }
        let stderr = String(decoding: manager.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        let status: String =
            switch termination {
            case .exited(let code): "exit status \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            case .timedOut: "timed out"
            }
        return .crashed(detail: "\(status); \(stderr.suffix(2000))")
    }

    /// A small, explicit environment: proxies pass through (libgit2 honours them), nothing else.
    private func environment(urlPassword: String?, workerFile: String) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment
        var environment = ["HOME": homeDirectory, "LANG": "C.UTF-8", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        environment[Self.urlPasswordVariable] = urlPassword
        environment[Self.workerFileVariable] = workerFile
        for name in ["http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"] {
            environment[name] = inherited[name]
        }
        return environment
    }
}
