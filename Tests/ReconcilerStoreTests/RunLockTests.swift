import Foundation
import Glibc
import ReconcilerStore
import Testing

/// One run at a time, across processes, with real child processes holding the lock.
struct RunLockTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    var lockFile: String { directory.stateDirectory + "/run.lock" }

    /// How long a lock released in this process may still look held. A child that another
    /// test is spawning at that moment holds a copy of every descriptor, close-on-exec ones
    /// included, from fork to exec; on two busy cores that lasts milliseconds, not seconds.
    static let settle = 5.0

    @Test func aSecondLockInTheSameProcessFailsAndNamesThisProcess() throws {
        let first = try RunLock(stateDirectory: directory.stateDirectory, wait: false)

        withExtendedLifetime(first) {
            let error = #expect(throws: RunLockError.self) {
                try RunLock(stateDirectory: directory.stateDirectory, wait: false)
            }
            #expect(error?.reason == .held(pid: getpid()))
            #expect(
                error?.description
                    == "another run holds the lock \(lockFile) (pid \(getpid())): wait for it, or run again; "
                    + "`reconciler once --wait` waits"
            )
        }
        #expect(first.path == lockFile)
        #expect(try String(contentsOfFile: lockFile, encoding: .utf8) == "\(getpid())\n")
    }

    @Test func theLockIsFreeAgainOnceItsHolderIsReleased() throws {
        do {
            let first = try RunLock(stateDirectory: directory.stateDirectory, wait: false)
            _ = first.path
        }

        let second = try RunLock(stateDirectory: directory.stateDirectory, wait: true, timeout: Self.settle)

        #expect(second.path == lockFile)
    }

    @Test func aLockHeldByAnotherProcessFailsAtOnceOrTimesOut() throws {
        try FileManager.default.createDirectory(atPath: directory.stateDirectory, withIntermediateDirectories: true)
        let holder = try ChildProcess.holdingLock(lockFile)
        defer { holder.kill() }

        let refused = #expect(throws: RunLockError.self) {
            try RunLock(stateDirectory: directory.stateDirectory, wait: false)
        }
        #expect(refused?.reason == .held(pid: holder.pid))
        #expect(refused?.description.contains("(pid \(holder.pid))") == true)

        let started = Date()
        let timedOut = #expect(throws: RunLockError.self) {
            try RunLock(stateDirectory: directory.stateDirectory, wait: true, timeout: 0.3)
        }
        #expect(timedOut?.reason == .timedOut(seconds: 0.3, pid: holder.pid))
        #expect(
            timedOut?.description
                == "gave up after 0.3 s waiting for the lock \(lockFile): another run still holds it (pid \(holder.pid))"
        )
        #expect(Date().timeIntervalSince(started) >= 0.3)
    }

    @Test func theLockIsReleasedWhenItsHolderIsKilled() throws {
        try FileManager.default.createDirectory(atPath: directory.stateDirectory, withIntermediateDirectories: true)
        let holder = try ChildProcess.holdingLock(lockFile)
        #expect(throws: RunLockError.self) { try RunLock(stateDirectory: directory.stateDirectory, wait: false) }

        holder.kill()

        let lock = try RunLock(stateDirectory: directory.stateDirectory, wait: false)
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
    }

    @Test(arguments: [10.0, nil])
    func aWaitingRunTakesTheLockWhenTheHolderExits(timeout: Double?) throws {
        try FileManager.default.createDirectory(atPath: directory.stateDirectory, withIntermediateDirectories: true)
        let holder = try ChildProcess.holdingLock(lockFile, seconds: 1)
        defer { holder.kill() }
        let started = Date()

        let lock = try RunLock(stateDirectory: directory.stateDirectory, wait: true, timeout: timeout)

        let waited = Date().timeIntervalSince(started)
        #expect(waited > 0.3 && waited < 9)
        #expect(lock.path == lockFile)
    }

    @Test func aChildProcessDoesNotInheritTheLock() throws {
        // Given a lock held while a child process that outlives the run was spawned
        var child: ChildProcess?
        do {
            let lock = try RunLock(stateDirectory: directory.stateDirectory, wait: false)
            child = try ChildProcess(["/bin/sleep", "30"], inheritingDescriptors: true)
            _ = lock.path
        }
        defer { child?.kill() }

        // Then releasing the lock frees it, though the child still runs (30 s, far
        // beyond the timeout)
        let next = try RunLock(stateDirectory: directory.stateDirectory, wait: true, timeout: Self.settle)
        #expect(next.path == lockFile)
    }

    @Test func theStateDirectoryIsCreatedPrivate() throws {
        let lock = try RunLock(stateDirectory: directory.stateDirectory + "/deeper", wait: false)

        var info = stat()
        #expect(stat(directory.stateDirectory + "/deeper", &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o700)
        #expect(stat(lock.path, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o600)
    }

    @Test func aLockFileThatCannotBeOpenedGivesAnErrorNamingIt() throws {
        try FileManager.default.createDirectory(atPath: lockFile, withIntermediateDirectories: true)

        let error = #expect(throws: RunLockError.self) {
            try RunLock(stateDirectory: directory.stateDirectory, wait: false)
        }

        #expect(error?.description == "cannot open the lock file \(lockFile): Is a directory")
    }
}
