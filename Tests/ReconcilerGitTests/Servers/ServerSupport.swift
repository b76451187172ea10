import Foundation
import Glibc

/// A test server that could not be set up or did not come up; the message carries the server's log.
struct ServerError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

/// Loopback TCP sockets: free ports, listeners and readiness probes. Everything binds to
/// 127.0.0.1 only, so the servers are never reachable from outside the machine.
enum LoopbackSocket {
    /// Opens a TCP socket bound to 127.0.0.1:`port` (0 lets the kernel pick a free one), listening
    /// when `backlog` is given. The descriptor is close-on-exec, so spawned clients never hold it.
    static func open(port: UInt16 = 0, backlog: Int32? = nil) throws -> (descriptor: Int32, port: UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ServerError("socket() failed: errno \(errno)") }
        var address = loopbackAddress(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if bound != 0 || (backlog.map { listen(descriptor, $0) } ?? 0) != 0 {
            let error = errno
            close(descriptor)
            throw ServerError("binding or listening on 127.0.0.1:\(port) failed: errno \(error)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            close(descriptor)
            throw ServerError("getsockname() failed: errno \(errno)")
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts a TCP connection on 127.0.0.1:`port` right now.
    static func accepts(port: UInt16) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopbackAddress(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopbackAddress(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian  // 127.0.0.1
        return address
    }
}

enum FreePort {
    /// A port that was free a moment ago: bound to 127.0.0.1:0, read back, closed. Another process
    /// can take it before the server binds it, so `ServerProcess.start` retries on an early exit.
    static func next() throws -> UInt16 {
        let (descriptor, port) = try LoopbackSocket.open()
        close(descriptor)
        return port
    }
}

/// A port with nothing listening, for "connection refused" tests.
struct ClosedPort {
    let port: UInt16

    init() throws { port = try FreePort.next() }

    func url(scheme: String, repository: String = "repo.git") -> String {
        loopbackURL(scheme: scheme, port: port, repository: repository)
    }
}

/// `scheme://127.0.0.1:port/repository`, with a user for ssh so clients do not ask for one.
func loopbackURL(scheme: String, port: UInt16, repository: String) -> String {
    let user = scheme == "ssh" ? "git@" : ""
    return "\(scheme)://\(user)127.0.0.1:\(port)/\(bareRepositoryName(repository))"
}

/// `repo` and `repo.git` both name the bare repository `repo.git`.
func bareRepositoryName(_ repository: String) -> String {
    repository.hasSuffix(".git") ? repository : repository + ".git"
}

/// A private temporary directory, removed when released: each server keeps its config, keys
/// and log in one, so parallel tests never share a file.
final class ServerDirectory {
    let path: String

    init(_ name: String) throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-\(name)-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { remove() }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ contents: String, to name: String, permissions: Int = 0o644) throws {
        try contents.write(toFile: file(name), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: file(name))
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// How a short-lived tool ended.
struct ToolResult: CustomStringConvertible {
    /// The exit status, or 128 + the number of the signal that killed the tool.
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double

    var description: String {
        "exit \(status) after \(String(format: "%.1f", seconds)) s\nstdout: \(stdout)\nstderr: \(stderr)"
    }
}

enum ServerTool {
    /// Runs a tool under coreutils `timeout`, which signals its whole process group (git and the ssh
    /// it spawns) when `timeout` seconds pass: exit status 124, or 137 when SIGTERM was not enough
    /// and SIGKILL followed 2 s later. Output goes through files, never pipes, so a grandchild that
    /// keeps a descriptor open cannot make us wait for it.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Int = 30
    ) throws -> ToolResult {
        let scratch = try ServerDirectory("tool")
        let started = Date()
        let pid = try ChildProcess.spawn(
            "/usr/bin/timeout", ["--kill-after=2", String(timeout), executable] + arguments,
            environment: environment ?? ProcessInfo.processInfo.environment, stdout: scratch.file("out"),
            stderr: scratch.file("err"))
        let status = ChildProcess.waitForExit(pid)
        let read = { (name: String) in
            String(decoding: FileManager.default.contents(atPath: scratch.file(name)) ?? Data(), as: UTF8.self)
        }
        return ToolResult(
            status: status, stdout: read("out"), stderr: read("err"), seconds: Date().timeIntervalSince(started))
    }

    /// Runs a setup tool (ssh-keygen, openssl, git) and returns its stdout; throws unless it exits 0.
    @discardableResult
    static func checked(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws
        -> String
    {
        let result = try run(executable, arguments, environment: environment)
        guard result.status == 0 else {
            throw ServerError("\(executable) \(arguments.joined(separator: " ")) failed: \(result)")
        }
        return result.stdout
    }

    /// The test runner's environment without the machine's git configuration.
    static var isolatedGitEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        return environment
    }
}
