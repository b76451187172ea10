import Foundation
import Glibc
import ReconcilerPOSIX
import ReconcilerTesting
import Testing

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
