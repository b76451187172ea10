import ReconcilerStore
import Synchronization

/// The state store one process keeps: opened on first use, then shared by the engine and the
/// webhook notifier for as long as the process lives, so an agent's poll opens no database
/// (opening one reads the schema and runs the migration check). A failed open is tried again
/// on the next use.
final class SharedStateStore: Sendable {
    private let stateDirectory: String
    private let opened = Mutex<StateStore?>(nil)

    init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    func open() throws(StoreError) -> StateStore {
        try opened.withLock { (store: inout StateStore?) throws(StoreError) -> StateStore in
            if let store { return store }
            let new = try StateStore(stateDirectory: stateDirectory)
            store = new
            return new
        }
    }
}
