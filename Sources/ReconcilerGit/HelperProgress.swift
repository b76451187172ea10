import Foundation

/// Whether the network helper is still making progress, judged from outside by the kernel's
/// accounting of the one thread libgit2 runs on (the helper names it in `workerFile`): its
/// CPU time and the times it was scheduled (`/proc/PID/task/TID/schedstat`). A thread blocked
/// in recv(2) on a silent server is never scheduled; each arrival of data, or any work, moves
/// both. Other threads are left out, as the runtime's own wake up on timers.
///
/// libgit2's transfer callback would not do: it fires once per complete sideband packet, and
/// the helper's I/O counters (`/proc/PID/io`) miss recv(2) and see the pack written to disk
/// only in large steps, so a slow but live server looks silent to both for many seconds.
final class HelperProgress: @unchecked Sendable {
    /// Seconds without a sign of life before the helper counts as stalled.
    let idleTimeout: Double
    /// Where the helper writes `/proc/thread-self` of its worker thread ("PID/task/TID").
    let workerFile: String
    // Touched only by the thread that waits for the helper.
    private var worker: String?
    private var lastCount: UInt64?
    private let started = Date()
    private var lastChange = Date()
    private(set) var stalled = false

    init(idleTimeout: Double, workerFile: String) {
        self.idleTimeout = idleTimeout
        self.workerFile = workerFile
    }

    /// For messages: "its last sign of life 6 s after it started".
    var summary: String {
        "its last sign of life \(Int(lastChange.timeIntervalSince(started).rounded())) s after it started"
    }

    /// For `ChildProcess.run(keepWaiting:)`: false once nothing moved for `idleTimeout`.
    func keepWaiting(_ pid: pid_t) -> Bool {
        let now = Date()
        if worker == nil, let text = try? String(contentsOfFile: workerFile, encoding: .utf8),
            text.hasPrefix("\(pid)/task/")
        {
            worker = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // Before the helper named its worker (its first milliseconds), the process's own counts.
        let path = "/proc/" + (worker ?? "\(pid)") + "/schedstat"
        // Unreadable (the child is exiting): no verdict, the overall deadline still applies.
        guard let count = Self.schedulerCount(path) else { return true }
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

    /// Nanoseconds on the CPU plus times scheduled, from a `schedstat` file.
    static func schedulerCount(_ path: String) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let fields = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap {
            UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard fields.count == 3 else { return nil }
        return fields[0] &+ fields[2]
    }

    /// In the helper: names the calling thread, on which libgit2 will run, for the parent.
    /// A serving helper runs every request on the same thread: the file is written once.
    static func nameWorkerThread() {
        _ = namedWorkerThread
    }

    private static let namedWorkerThread: Void = {
        guard let file = ProcessInfo.processInfo.environment[RemoteHelperProcess.workerFileVariable],
            let thread = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")
        else { return }
        try? thread.write(toFile: file, atomically: true, encoding: .utf8)
    }()
}
