internal import Glibc

/// Reads a unit file's text with plain system calls, telling a missing file (nil) from an
/// unreadable one (thrown): the planner must never take "cannot read" for "absent".
enum UnitFileReader {
    /// The file's text, or nil when there is no file.
    static func contents(of path: String) throws(SystemdError) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw SystemdError(
                operation: "read unit file \(path)", errno: code, message: String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw SystemdError(
                    operation: "read unit file \(path)", errno: code, message: String(cString: strerror(code)))
            }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
