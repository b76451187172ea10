import Foundation

/// Starts a program with posix_spawn and waits for it with a deadline.
///
/// Not Foundation's `Process`: on Linux it tracks children through inherited descriptors and
/// one monitor thread, which a child that closes its descriptors can stall for everyone, and
/// its children inherit the caller's blocked signals (Swift's threads block SIGTERM, so a
/// podman started that way could not be stopped). Here the child gets default signal
/// handling, an empty signal mask and its own process group, which the deadline kills whole.
/// Output goes to files, never pipes, so a chatty build cannot block on a full pipe.
/// Every adapter that starts a program (the git helper, podman, systemd-analyze, health
/// commands) goes through here.
public enum ChildProcess {
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
        /// Killed (with its process group) at the deadline.
        case timedOut
    }

    /// Runs `executable` with stdin from `standardInput` (default /dev/null).
    /// - Parameters:
    ///   - standardError: a file for stderr, or nil to send it to the `standardOutput` file.
    ///   - keepWaiting: asked about every quarter second with the child's pid; false kills
    ///     the child as the deadline does (e.g. an idle deadline: no progress for too long).
    /// - Returns: how the child ended.
    /// - Throws: the errno of a failed posix_spawn (e.g. ENOENT for a missing executable).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String],
        standardInput: String = "/dev/null", standardOutput: String, standardError: String?, timeout: Double,
        keepWaiting: ((Int32) -> Bool)? = nil
    ) throws(SpawnFailure) -> Termination {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // No O_CLOEXEC: when the open lands on the target descriptor itself, exec would close it.
        let create = O_WRONLY | O_CREAT | O_TRUNC
        posix_spawn_file_actions_addopen(&actions, 0, standardInput, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, create, 0o600)
        if let standardError {
            posix_spawn_file_actions_addopen(&actions, 2, standardError, create, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }

        let pid = try spawn(executable, arguments, environment: environment, actions: &actions)

        // A thread blocked in waitpid wakes the moment the child ends; the semaphore adds the deadline.
        let waiter = Waiter(pid: pid)
        Thread.detachNewThread { waiter.wait() }
        if !wait(for: waiter, pid: pid, timeout: timeout, keepWaiting: keepWaiting) {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            waiter.done.wait()
            return .timedOut
        }
        return waiter.termination
    }

    /// posix_spawn with the child's own process group, default signal handling and an empty
    /// signal mask; returns its pid.
    static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String],
        actions: inout posix_spawn_file_actions_t
    ) throws(SpawnFailure) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw SpawnFailure(errno: code) }
        return pid
    }

    /// Whether the child ended before `timeout` and while `keepWaiting` agreed.
    private static func wait(
        for waiter: Waiter, pid: pid_t, timeout: Double, keepWaiting: ((Int32) -> Bool)?
    ) -> Bool {
        guard let keepWaiting else { return waiter.done.wait(timeout: .now() + timeout) == .success }
        let deadline = DispatchTime.now() + timeout
        while true {
            let slice = min(deadline, .now() + 0.25)
            if waiter.done.wait(timeout: slice) == .success { return true }
            if slice >= deadline || !keepWaiting(pid) { return false }
        }
    }

    /// posix_spawn's error number, e.g. ENOENT when the executable does not exist.
    public struct SpawnFailure: Error, Sendable, CustomStringConvertible {
        public var errno: Int32
        public var description: String { String(cString: strerror(errno)) }
    }

    private final class Waiter: @unchecked Sendable {
        let pid: pid_t
        let done = DispatchSemaphore(value: 0)
        // Written by the waiting thread before `done` is signalled, read after: no race.
        var termination = Termination.exited(-1)

        init(pid: pid_t) { self.pid = pid }

        func wait() {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let signal = status & 0x7f
            termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
            done.signal()
        }
    }
}
