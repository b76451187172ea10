public import ReconcilerCore
import Synchronization

/// The run lock in memory: held while a returned token lives, and "held by another
/// process" on demand.
public final class InMemoryRunLock: RunLocking, Sendable {
    private let state = Mutex<(held: Bool, foreignHolder: Int32?)>((false, nil))

    public init() {}

    /// Pretends another process (`pid`) holds the lock (nil: nobody does).
    public func holdElsewhere(pid: Int32?) {
        state.withLock { $0.foreignHolder = pid }
    }

    public var isHeld: Bool { state.withLock { $0.held } }

    public func acquire(wait: Bool) throws -> AnyObject {
        try state.withLock { state in
            if let pid = state.foreignHolder {
                throw FakeHostFailure("another run holds the lock (pid \(pid)): wait for it, or run again")
            }
            if state.held { throw FakeHostFailure("the lock is already held in this process") }
            state.held = true
        }
        return Token { [weak self] in self?.state.withLock { $0.held = false } }
    }

    private final class Token {
        let release: () -> Void
        init(release: @escaping () -> Void) { self.release = release }
        deinit { release() }
    }
}
