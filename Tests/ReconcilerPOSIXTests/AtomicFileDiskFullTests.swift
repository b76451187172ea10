import Foundation
import Glibc
import ReconcilerPOSIX
import ReconcilerTesting
import Testing

/// A full file system, for real: a small tmpfs filled to the last byte. Needs root (mount).
final class FullTmpfs {
    let path: String

    init(kilobytes: Int) throws {
        path = FileManager.default.temporaryDirectory.path + "/reconciler-full-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0700", "tmpfs", path])
    }

    deinit {
        try? Self.run("/usr/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes a filler file until the file system refuses another byte.
    func fill() {
        let descriptor = open(path + "/filler", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let block = [UInt8](repeating: 0x2E, count: 4096)
        var chunk = block.count
        while chunk > 0 {
            if block.withUnsafeBytes({ write(descriptor, $0.baseAddress, chunk) }) < 0 { chunk /= 2 }
        }
        close(descriptor)
    }

    func freeSpace() { unlink(path + "/filler") }

    static func run(_ program: String, _ arguments: [String]) throws {
        guard try ToolRun.run(program, arguments).status == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}

/// On a full disk a replacement fails with an error that says so and where, and the old
/// file is left whole.
@Suite(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
struct AtomicFileDiskFullTests {
    @Test("A write to a full disk names the file and the fix, and leaves the old file whole")
    func aFullDiskLeavesTheOldFile() throws {
        let disk = try FullTmpfs(kilobytes: 64)
        let path = disk.path + "/blog.service"
        try AtomicFile.write(Array("[Unit]\nDescription=old\n".utf8), to: path)
        disk.fill()

        let error = #expect(throws: POSIXFailure.self) {
            try AtomicFile.write([UInt8](repeating: 0x41, count: 32 * 1024), to: path)
        }

        let text = error?.description ?? ""
        #expect(text.contains("no space left on device"), "\(text)")
        #expect(text.contains("writing \(path)"), "\(text)")
        #expect(text.contains("free space"), "\(text)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "[Unit]\nDescription=old\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: disk.path).sorted()
        #expect(names == ["blog.service", "filler"], "no temporary file is left behind")
    }
}
