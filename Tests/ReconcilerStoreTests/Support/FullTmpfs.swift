import Foundation
import Glibc
import ReconcilerTesting

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
