public import ReconcilerCore

/// The SQLite store is the engine's run store.
extension StateStore: RunStore {}
