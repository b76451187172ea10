import Foundation
import Glibc

/// A full file system, for real: a small tmpfs filled to the last byte. Needs root (mount).
/// Shared by the tests of every writer that must fail cleanly on a full disk.
public final class FullTmpfs {
    public let path: String

    public init(kilobytes: Int) throws {
        path = FileManager.default.temporaryDirectory.path + "/reconciler-full-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0700", "tmpfs", path])
    }

    deinit {
        try? Self.run("/usr/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes a filler file until the file system refuses another byte.
    public func fill() {
        let descriptor = open(path + "/filler", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let block = [UInt8](repeating: 0x2E, count: 4096)
        var chunk = block.count
        while chunk > 0 {
            if block.withUnsafeBytes({ write(descriptor, $0.baseAddress, chunk) }) < 0 { chunk /= 2 }
        }
        close(descriptor)
    }

    public func freeSpace() { unlink(path + "/filler") }

    private static func run(_ program: String, _ arguments: [String]) throws {
        guard try ToolRun.run(program, arguments).status == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
