import Logging
import ReconcilerCore

extension Reconciliation {
    /// Holds the host still: until `resume`, every run observes and reports drift but changes
    /// nothing. Persisted in the state store, so it survives restarts of the agent.
    public func suspend(reason: String) throws(ReconcileError) {
        try withRunLock { store throws(ReconcileError) in
            do {
                try store.setSuspended(reason)
            } catch {
                throw ReconcileError(.store, "cannot record the suspension: \(error)")
            }
            logger.notice("suspended: \(reason)", metadata: ["action": "suspend"])
        }
    }

    /// Lets runs change the host again. - Returns: whether the host was suspended.
    @discardableResult
    public func resume() throws(ReconcileError) -> Bool {
        try withRunLock { store throws(ReconcileError) in
            let summary = try readSummary(store)
            guard summary.suspended != nil else { return false }
            do {
                try store.setSuspended(nil)
            } catch {
                throw ReconcileError(.store, "cannot record the resumption: \(error)")
            }
            logger.notice("resumed", metadata: ["action": "resume"])
            return true
        }
    }

    /// Runs `body` with the run lock held (waiting for a run in progress) and the store open.
    func withRunLock<T>(_ body: (any RunStore) throws(ReconcileError) -> T) throws(ReconcileError) -> T {
        let lock: AnyObject
        do {
            lock = try ports.lock.acquire(wait: true)
        } catch {
            throw ReconcileError(.lock, "\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        return try body(try store())
    }
}
