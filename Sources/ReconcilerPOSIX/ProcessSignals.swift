import Foundation
public import ReconcilerCore

/// SIGHUP (sync now) and SIGTERM/SIGINT (stop) for the agent, delivered through dispatch
/// sources rather than async-signal handlers, and a wait between syncs that they cut short.
public final class ProcessSignals: AgentTriggers, @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`; the semaphore is thread-safe.
    private let lock = NSLock()
    private var reloadRequested = false
    private var stopping = false
    private let wake = DispatchSemaphore(value: 0)
    private var sources: [any DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "reconciler.signals")

    public init() {}

    public var stopRequested: Bool { lock.withLock { stopping } }

    public func install() {
        for (number, isStop) in [(SIGHUP, false), (SIGTERM, true), (SIGINT, true)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in self?.deliver(stop: isStop) }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }

    private func deliver(stop: Bool) {
        lock.withLock {
            if stop { stopping = true } else { reloadRequested = true }
        }
        wake.signal()
    }

    public func wait(seconds: Double, tick: () -> Void) -> AgentWake {
        let end = Date().addingTimeInterval(seconds)
        while true {
            let state = lock.withLock { () -> AgentWake? in
                if stopping { return .stop }
                if reloadRequested {
                    reloadRequested = false
                    return .reload
                }
                return nil
            }
            if let state { return state }
            let remaining = end.timeIntervalSinceNow
            if remaining <= 0 { return .timeout }
            tick()
            _ = wake.wait(timeout: .now() + min(remaining, 1))
        }
    }
}
