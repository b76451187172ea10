import Foundation
import ReconcilerPOSIX

/// A private directory for one command's output files, removed when the command is done.
///
/// Output goes to files rather than pipes so that a long build never blocks on a full pipe
/// and only its tail has to be read back.
struct TemporaryDirectory {
    let path: String

    /// Creates a fresh directory (mode 0700) under the system's temporary directory.
    static func make(prefix: String) throws(ContainerError) -> TemporaryDirectory {
        do {
            return TemporaryDirectory(path: try PrivateDirectory.make(prefix: prefix).path)
        } catch {
            throw ContainerError(
                operation: "create a temporary directory", command: "mkdtemp", cause: .notStarted(errno: error.errno),
                hint: "is $TMPDIR (or /tmp) writable?")
        }
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The whole file, or empty when it cannot be read.
    func contents(of name: String) -> [UInt8] {
        (try? Data(contentsOf: URL(fileURLWithPath: file(name)))).map { [UInt8]($0) } ?? []
    }

    /// The last `lines` lines of a file, reading at most its last `maxBytes` bytes.
    func tail(of name: String, lines: Int = 40, maxBytes: Int = 64 * 1024) -> String {
        guard let handle = FileHandle(forReadingAtPath: file(name)) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(maxBytes) ? size - UInt64(maxBytes) : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return "" }
        var text = String(decoding: data, as: UTF8.self)
        // A read that starts mid-file starts mid-line: drop the partial line.
        if start > 0, let newline = text.firstIndex(of: "\n") {
            text = String(text[text.index(after: newline)...])
        }
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        let trimmed = all.last == "" ? all.dropLast() : all[...]
        return trimmed.suffix(lines).joined(separator: "\n")
    }
}
