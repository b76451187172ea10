import Foundation
import Glibc
import ReconcilerCore
import ReconcilerTesting
import Testing

@testable import ReconcilerStore

/// A state store on a full disk: the error says the disk is full and where, and what the
/// store held before is intact once space is freed.
@Suite(.enabled(if: getuid() == 0, "mounting a small tmpfs needs root"))
struct StateStoreDiskFullTests {
    @Test("A write to a full disk says so and where, and the store keeps its earlier runs")
    func aFullDiskIsReportedAndTheStoreStaysWhole() throws {
        let disk = try FullTmpfs(kilobytes: 1024)
        let stateDirectory = disk.path + "/state"
        do {
            let store = try StateStore(stateDirectory: stateDirectory, now: SteppingClock().now)
            let run = try store.beginRun(trigger: "once", commit: "c1")
            try store.finishRun(run, result: .succeeded, message: nil)
            disk.fill()

            let error = #expect(throws: StoreError.self) {
                try store.setLastError(String(repeating: "build log line\n", count: 40_000), commit: "c2")
            }

            let text = error?.description ?? ""
            #expect(text.contains("disk is full"), "\(text)")
            #expect(text.contains(store.path), "\(text)")
            #expect(text.contains("free space"), "\(text)")
            #expect(error?.isDiskFull == true)
        }
        disk.freeSpace()
        let reopened = try StateStore(stateDirectory: stateDirectory)
        #expect(try reopened.history(limit: 10).map(\.commit) == ["c1"])
        #expect(try reopened.history(limit: 10).first?.result == .succeeded)
        #expect(try reopened.summary().lastError == nil)
    }
}
