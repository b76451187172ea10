import Glibc

/// posix_spawn for the servers and the tools the tests run, instead of Foundation's Process, which
/// on Linux (swift-corelibs-foundation, Swift 6.3) has two traps that hung or broke these tests:
/// - It learns that a child exited when a socket the child inherited is closed, then calls a
///   blocking waitpid on that child from its single monitor thread. sshd closes every inherited
///   descriptor at startup, so the monitor blocks until sshd dies, and every other Process in the
///   test runner (waitUntilExit, terminationHandler) hangs with it.
/// - It does not reset the signal mask. Launched from a Swift concurrency (Dispatch) thread, which
///   blocks most signals, the child starts with SIGTERM blocked, so `timeout` could not stop git.
enum ChildProcess {
    /// Spawns `executable` in a process group of its own (so a group signal reaches the children it
    /// forks), with default signal dispositions and an empty signal mask, stdin from /dev/null,
    /// stdout to the file `stdout` (truncated), stderr to `stderr` or else to the same file, and no
    /// other descriptor inherited: a daemon holding one of the runner's pipes would keep whoever
    /// reads that pipe to EOF waiting until it dies.
    static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], stdout: String,
        stderr: String? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        try closeInheritedDescriptors(in: &actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw ServerError("posix_spawn \(executable) failed: \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Waits for `pid` and reaps it. Returns its exit status, or 128 + the signal that killed it,
    /// as a shell reports it (so a `timeout --kill-after` that SIGKILLs itself gives 137).
    static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return decode(status)
    }

    /// The waitpid status as a shell would report it.
    static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Adds "close every descriptor from 3 up": glibc 2.34's posix_spawn_file_actions_addclosefrom_np,
    /// looked up at run time because Swift's Glibc module does not import it. Closing descriptors
    /// one by one would race the descriptors other threads open meanwhile.
    private static func closeInheritedDescriptors(in actions: inout posix_spawn_file_actions_t) throws {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else {
            throw ServerError("test servers need glibc 2.34 or later (posix_spawn_file_actions_addclosefrom_np)")
        }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
    }
}
