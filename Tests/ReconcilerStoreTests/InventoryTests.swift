import Foundation
import ReconcilerCore
import ReconcilerStore
import Testing

/// The inventory: the units and images the reconciler owns, and so may remove.
struct InventoryTests {
    let directory: TemporaryDirectory
    let clock = SteppingClock()
    let store: StateStore

    init() throws {
        directory = try TemporaryDirectory()
        store = try StateStore(stateDirectory: directory.stateDirectory, now: clock.now)
    }

    @Test func unitsWrittenAreOwnedUntilRemoved() throws {
        try store.recordUnitWritten("blog.service", commit: "c1")
        try store.recordUnitWritten("blog-backup.timer", commit: "c1")
        try store.recordUnitWritten("blog.service", commit: "c2")

        #expect(try store.inventory() == Inventory(units: ["blog.service", "blog-backup.timer"]))
        #expect(
            try store.units() == [
                UnitRecord(
                    name: "blog-backup.timer", commit: "c1", writtenAt: SteppingClock.start.addingTimeInterval(1)),
                UnitRecord(name: "blog.service", commit: "c2", writtenAt: SteppingClock.start.addingTimeInterval(2)),
            ]
        )

        try store.recordUnitRemoved("blog-backup.timer")
        try store.recordUnitRemoved("never-owned.service")

        #expect(try store.inventory().units == ["blog.service"])
    }

    @Test func imagesOfAServiceAreListedNewestFirst() throws {
        try store.recordImage("localhost/blog:c1", service: "blog", commit: "c1")
        try store.recordImage("localhost/api:c1", service: "api", commit: "c1")
        try store.recordImage("localhost/blog:c2", service: "blog", commit: "c2")
        try store.recordImage("localhost/blog:c3", service: "blog", commit: "c3")

        #expect(
            try store.images(of: "blog").map(\.reference) == [
                "localhost/blog:c3", "localhost/blog:c2", "localhost/blog:c1",
            ])
        #expect(
            try store.images(of: "api") == [
                ImageRecord(
                    reference: "localhost/api:c1",
                    service: "api",
                    commit: "c1",
                    createdAt: SteppingClock.start.addingTimeInterval(1)
                )
            ]
        )
        #expect(try store.inventory().images.count == 4)

        // Recording an image again (a rollback rebuilt it) makes it the newest.
        try store.recordImage("localhost/blog:c1", service: "blog", commit: "c1")
        try store.forgetImage("localhost/blog:c2")

        #expect(try store.images(of: "blog").map(\.reference) == ["localhost/blog:c1", "localhost/blog:c3"])
        #expect(try store.images(of: "nobody").isEmpty)
    }

    @Test func imagesRecordedWithinOneMillisecondKeepTheirOrder() throws {
        let frozen = try StateStore(path: directory.path + "/frozen.sqlite", now: { SteppingClock.start })
        for tag in ["a", "b", "c"] {
            try frozen.recordImage("localhost/blog:\(tag)", service: "blog", commit: tag)
        }

        #expect(try frozen.images(of: "blog").map(\.commit) == ["c", "b", "a"])
    }
}
