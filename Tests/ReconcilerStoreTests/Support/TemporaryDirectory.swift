import Foundation
import Synchronization

/// A fresh directory under the system's temporary directory, removed with the object.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/reconciler-store-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The state directory tests hand to the store: not created yet, so that the store's
    /// own creation of it is exercised.
    var stateDirectory: String { path + "/state" }
}

/// A clock that moves one second per reading, from 2025-01-01T00:00:00Z: timestamps are
/// whole seconds (the store keeps milliseconds) and every record is later than the last.
final class SteppingClock: Sendable {
    static let start = Date(timeIntervalSince1970: 1_735_689_600)
    private let readings = Mutex(0)

    var now: @Sendable () -> Date {
        { self.next() }
    }

    private func next() -> Date {
        readings.withLock { count in
            defer { count += 1 }
            return Self.start.addingTimeInterval(Double(count))
        }
    }
}
