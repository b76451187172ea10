import Foundation
import ReconcilerPOSIX
import Testing

/// Atomic replacement on the real file system.
struct AtomicFileTests {
    let directory: PrivateDirectory

    init() throws {
        directory = try PrivateDirectory.make(prefix: "reconciler-posix-test")
    }

    @Test func aWriteReplacesTheWholeFileWithTheGivenMode() throws {
        defer { directory.remove() }
        let path = directory.file("unit.service")
        try AtomicFile.write(Array("old, and longer than the new text\n".utf8), to: path)

        try AtomicFile.write(Array("new\n".utf8), to: path, mode: 0o600)

        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["unit.service"])
    }

    @Test func aFailedWriteLeavesTheTargetAsItWas() throws {
        defer { directory.remove() }
        let missing = directory.file("no-such-folder/unit.service")

        let error = #expect(throws: POSIXFailure.self) { try AtomicFile.write(Array("x".utf8), to: missing) }

        #expect(error?.errno == ENOENT)
        #expect(error?.description.hasPrefix("cannot create \(directory.path)/no-such-folder/.unit.service") == true)
    }

    /// A process ID no process can have: IDs are below the kernel's pid_max.
    static func deadProcessID() throws -> String {
        try String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func leftoversOfAnInterruptedWriteAreRemovedAndNothingElse() throws {
        defer { directory.remove() }
        let leftover = directory.file(".blog.service\(AtomicFile.temporaryInfix)\(try Self.deadProcessID())")
        try Data("half".utf8).write(to: URL(fileURLWithPath: leftover))
        try Data("keep".utf8).write(to: URL(fileURLWithPath: directory.file(".hidden")))
        try Data("keep".utf8).write(to: URL(fileURLWithPath: directory.file("blog.service")))

        AtomicFile.removeLeftovers(in: directory.path)

        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == [".hidden", "blog.service"])
    }

    @Test("A write in progress by another live process (a second agent sharing the unit directory) is not a leftover")
    func anotherProcesssWriteInProgressIsKept() throws {
        defer { directory.remove() }
        let infix = AtomicFile.temporaryInfix
        let ours = ".mine.service\(infix)\(getpid())"
        let theirs = ".other.service\(infix)\(getppid())"
        let dead = ".gone.service\(infix)\(try Self.deadProcessID())"
        for name in [ours, theirs, dead] {
            try Data("half".utf8).write(to: URL(fileURLWithPath: directory.file(name)))
        }

        AtomicFile.removeLeftovers(in: directory.path)

        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [theirs])
    }

    @Test func removingAMissingFileIsNotAnError() throws {
        defer { directory.remove() }
        try AtomicFile.remove(directory.file("gone"))
    }
}

/// flock(2) locks between two holders in one process, as between processes.
struct FileLockTests {
    @Test func aSecondHolderIsRefusedAndToldWhoHoldsTheLock() throws {
        let directory = try PrivateDirectory.make(prefix: "reconciler-lock-test")
        defer { directory.remove() }
        let path = directory.file("run.lock")
        let first = try FileLock(path: path, wait: false)

        let error = #expect(throws: FileLock.Failure.self) { try FileLock(path: path, wait: false) }

        #expect(error == .held(pid: getpid()))
        withExtendedLifetime(first) {}
    }

    @Test func theLockIsFreeAgainOnceItsHolderIsGone() throws {
        let directory = try PrivateDirectory.make(prefix: "reconciler-lock-test")
        defer { directory.remove() }
        let path = directory.file("run.lock")
        do { _ = try FileLock(path: path, wait: false) }

        _ = try FileLock(path: path, wait: false)
    }

    @Test func aBoundedWaitGivesUpAfterItsTimeout() throws {
        let directory = try PrivateDirectory.make(prefix: "reconciler-lock-test")
        defer { directory.remove() }
        let path = directory.file("run.lock")
        let first = try FileLock(path: path, wait: false)

        let error = #expect(throws: FileLock.Failure.self) { try FileLock(path: path, wait: true, timeout: 0.1) }

        #expect(error == .timedOut(seconds: 0.1, pid: getpid()))
        withExtendedLifetime(first) {}
    }
}

/// mkdtemp-made directories.
struct PrivateDirectoryTests {
    @Test func aPrivateDirectoryIsReadableByItsOwnerOnly() throws {
        let directory = try PrivateDirectory.make(prefix: "reconciler-private-test")
        defer { directory.remove() }

        let mode = try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        #expect(directory.path.contains("/reconciler-private-test-"))
    }

    @Test func removeDeletesEverythingInside() throws {
        let directory = try PrivateDirectory.make(prefix: "reconciler-private-test")
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory.file("output")))

        directory.remove()

        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }
}
