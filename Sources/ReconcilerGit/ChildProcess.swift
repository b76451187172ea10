import Foundation

/// Starts a program with posix_spawn and waits for it with a deadline.
///
/// Not Foundation's `Process`: on Linux it tracks children through inherited descriptors and
/// one monitor thread, which a child that closes its descriptors can stall for everyone, and
/// its children inherit the caller's blocked signals (Swift's threads block SIGTERM). Here the
/// child gets default signal handling, an empty signal mask and its own process group. Other
/// descriptors are inherited only if they lack close-on-exec (posix_spawn's closefrom action
/// is not visible to Swift); the helper is short-lived, so a stray one is held only briefly.
enum ChildProcess {
    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// Killed (with its process group) at the deadline.
        case timedOut
    }

    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String],
        standardInput: String, standardOutput: String, standardError: String, timeout: Double
    ) throws -> Termination {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, standardInput, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_TRUNC, 0)

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
        guard code == 0 else {
            throw MirrorError("start \(executable): \(String(cString: strerror(code)))")
        }

        // A thread blocked in waitpid wakes the moment the child ends; the semaphore adds the deadline.
        let waiter = Waiter(pid: pid)
        Thread.detachNewThread { waiter.wait() }
        if waiter.done.wait(timeout: .now() + timeout) == .timedOut {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            waiter.done.wait()
            return .timedOut
        }
        return waiter.termination
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
