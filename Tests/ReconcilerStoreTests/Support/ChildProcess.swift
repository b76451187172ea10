import Foundation
import Glibc

/// A child process started with posix_spawn.
///
/// By default it gets only stdin, stdout and stderr: a child that kept another suite's
/// pipe open would hold up that suite's reads for as long as it lives. With
/// `inheritingDescriptors` it gets every descriptor not marked close-on-exec, as a
/// careless spawn in the engine would, which is what the lock's tests need.
final class ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    /// waitpid's status once reaped.
    private(set) var status: Int32?

    init(_ arguments: [String], inheritingDescriptors: Bool = false) throws {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if !inheritingDescriptors, let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard code == 0 else { throw Failure(description: "spawn \(arguments[0]): \(String(cString: strerror(code)))") }
        self.pid = pid
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34+), looked up at run time:
    /// spawn.h declares it only under _GNU_SOURCE, which Swift's Glibc module lacks.
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }

    /// A shell that takes the lock on `lockFile` with flock(1), writes its pid into it as
    /// RunLock does, then becomes `sleep`, which keeps the descriptor and so the lock.
    static func holdingLock(_ lockFile: String, seconds: Int = 30) throws -> ChildProcess {
        let script = #"exec 9>>"$0"; flock -x 9; echo $$ > "$0"; exec sleep "$1""#
        let child = try ChildProcess(["/bin/sh", "-c", script, lockFile, String(seconds)])
        try child.waitUntil { (try? String(contentsOfFile: lockFile, encoding: .utf8)) == "\(child.pid)\n" }
        return child
    }

    /// Polls `condition` every 10 ms for up to 10 s.
    func waitUntil(_ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(10)
        while try !condition() {
            guard Date() < deadline else { throw Failure(description: "child \(pid) did not get ready in 10 s") }
            usleep(10_000)
        }
    }

    /// Sends SIGKILL and reaps the child, so that the kernel has released what it held.
    func kill() {
        guard status == nil else { return }
        _ = Glibc.kill(pid, SIGKILL)
        wait()
    }

    /// Reaps the child after it exits on its own.
    func wait() {
        guard status == nil else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        self.status = status
    }

    /// The exit code after `wait()`, nil when a signal ended the child.
    var exitCode: Int32? {
        guard let status, status & 0x7F == 0 else { return nil }
        return (status >> 8) & 0xFF
    }

    deinit { kill() }
}
