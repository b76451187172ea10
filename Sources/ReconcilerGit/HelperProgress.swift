import Foundation

/// Whether the network helper is still making progress, judged from outside: the bytes it
/// moved through read(2)/write(2) and friends, sockets included (`rchar` + `wchar` in
/// `/proc/PID/io`). libgit2 calls its transfer callback only per complete packet, and a
/// sideband packet can be 64 KiB, so a slow but live server can go silent for libgit2 long
/// after bytes arrive; the kernel's counters move with every byte.
final class HelperProgress: @unchecked Sendable {
    /// Seconds without a byte moved before the helper counts as stalled.
    let idleTimeout: Double
    // Touched only by the thread that waits for the helper.
    private var lastCount: UInt64?
    private var lastChange = Date()
    private(set) var stalled = false

    init(idleTimeout: Double) {
        self.idleTimeout = idleTimeout
    }

    /// For `ChildProcess.run(keepWaiting:)`: false once nothing moved for `idleTimeout`.
    func keepWaiting(_ pid: pid_t) -> Bool {
        let now = Date()
        // Unreadable (the child is exiting): no verdict, the overall deadline still applies.
        guard let count = Self.bytesMoved(pid) else { return true }
        if count != lastCount {
            lastCount = count
            lastChange = now
            return true
        }
        if now.timeIntervalSince(lastChange) >= idleTimeout {
            stalled = true
            return false
        }
        return true
    }

    /// `rchar + wchar` of the process, or nil when its `/proc/PID/io` cannot be read.
    static func bytesMoved(_ pid: pid_t) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/io") else { return nil }
        var total: UInt64 = 0
        var found = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0] == "rchar" || parts[0] == "wchar",
                let value = UInt64(parts[1].trimmingCharacters(in: .whitespaces))
            else { continue }
            total &+= value
            found += 1
        }
        return found == 2 ? total : nil
    }
}
