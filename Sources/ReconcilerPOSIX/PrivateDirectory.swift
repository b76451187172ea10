import Foundation

/// A fresh directory only this user can read (mode 0700, from mkdtemp), for files that must
/// not be guessable or shared: command output, units to verify, signatures to check.
public struct PrivateDirectory: Sendable {
    public let path: String

    /// Creates `<base>/<prefix>-XXXXXX`.
    /// - Parameter base: the parent directory; default `$TMPDIR`, else /tmp.
    public static func make(prefix: String, in base: String? = nil) throws(POSIXFailure) -> PrivateDirectory {
        let parent = base ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(parent)/\(prefix)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let created else { throw POSIXFailure("create a private directory in \(parent)") }
        return PrivateDirectory(path: created)
    }

    /// The path of a file inside.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Deletes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
