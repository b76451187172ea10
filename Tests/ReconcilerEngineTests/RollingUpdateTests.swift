import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Synchronization
import Testing

/// A replicated service is updated one instance at a time: each instance is restarted and
/// must pass its own health check before the next is touched; a failure rolls every instance
/// back.
struct RollingUpdateTests {
    /// `count` instances of a built blog on ports 8201..., health-checked each on its own port.
    static func blog(version: String = "1", count: Int = 2, update: String? = nil) -> [String: String] {
        let ports = (1...count).map { "\"127.0.0.1:\(8200 + $0):8080\"" }.joined(separator: ", ")
        let strategy = update.map { ", update: \($0)" } ?? ""
        return [
            "app/Dockerfile": "FROM python:3.11-slim\nCOPY app.py /app.py\nCMD [\"python3\", \"/app.py\"]\n",
            "app/app.py": "print('blog \(version)')\n",
            "desired-state/blog.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: blog
            image:
              build: {context: app, dockerfile: app/Dockerfile}
            replicas: {count: \(count), ports: [\(ports)]\(strategy)}
            health: {http: "http://127.0.0.1:{port}/", timeout: 30s}

            """,
        ]
    }

    static func probe(_ instance: Int) -> HealthCheck.Probe { .http(url: "http://127.0.0.1:\(8200 + instance)/") }

    /// The host's operations with each health wait placed where it happened.
    final class Timeline: Sendable {
        let entries = Mutex<[String]>([])
        private let seen = Mutex(0)

        /// - Parameter before: runs at each wait before it is recorded, to decide its outcome.
        init(_ engine: EngineFixture, before: (@Sendable () -> Void)? = nil) {
            engine.host.clearOperations()
            let host = engine.host
            engine.health.onWait { [self] in
                before?()
                let operations = host.operations
                let seen = self.seen.withLock { seen in
                    defer { seen = operations.count }
                    return seen
                }
                // The probe of this wait is recorded after the hook: mark the wait here.
                self.entries.withLock { $0 += operations.dropFirst(seen) + ["health-wait"] }
            }
        }

        /// Host operations and waits, with each wait named by the probe it checked.
        func events(_ engine: EngineFixture) -> [String] {
            var checked = engine.health.checked.suffix(entries.withLock { $0.count { $0 == "health-wait" } })
                .makeIterator()
            let merged = entries.withLock { $0 }.map { entry -> String in
                guard entry == "health-wait", case .http(let url)? = checked.next() else { return entry }
                return "health \(url)"
            }
            let recorded = merged.count { !$0.hasPrefix("health ") }
            return merged + engine.host.operations.dropFirst(recorded)
        }
    }

    @Test("instance 2 is not touched before instance 1 passes its health check")
    func rollsOneInstanceAtATime() throws {
        let engine = EngineFixture()
        engine.repository.commit(Self.blog(version: "1"))
        try engine.once()
        let timeline = Timeline(engine)
        engine.repository.commit(Self.blog(version: "2"))

        try engine.once()

        let events = timeline.events(engine).filter { $0.hasPrefix("restart") || $0.hasPrefix("health") }
        #expect(
            Array(events.prefix(4)) == [
                "restart blog-1.service", "health http://127.0.0.1:8201/",
                "restart blog-2.service", "health http://127.0.0.1:8202/",
            ], "\(events)")
        #expect(engine.host.isActive("blog-1.service") && engine.host.isActive("blog-2.service"))
    }

    @Test("a failure of instance 2 stops the rollout and rolls instance 1 back too")
    func failureRollsEveryInstanceBack() throws {
        let engine = EngineFixture()
        let good = engine.repository.commit(Self.blog(version: "1"))
        try engine.once()
        let old = try #require(engine.host.files["blog-2.service"])
        #expect(old.contains("127.0.0.1:8202:8080") && old.contains("io.reconciler.service=blog-2"))
        // Instance 2 answers only while it runs version 1's unit: version 2 never comes up.
        let (host, health) = (engine.host, engine.health)
        let timeline = Timeline(engine) {
            health.fail(Self.probe(2), detail: host.files["blog-2.service"] == old ? nil : "refused")
        }
        let bad = engine.repository.commit(Self.blog(version: "2"))

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .health)
        #expect(error?.message.contains("blog-2") == true)
        #expect(error?.message.contains("rolled back to \(good.prefix(12))") == true)
        let events = timeline.events(engine).filter { $0.hasPrefix("restart") || $0.hasPrefix("health") }
        #expect(
            Array(events.prefix(4)) == [
                "restart blog-1.service", "health http://127.0.0.1:8201/",
                "restart blog-2.service", "health http://127.0.0.1:8202/",
            ], "\(events)")
        // Both instances run version 1 again: the one already replaced is restarted back.
        #expect(engine.host.files["blog-2.service"] == old)
        // The instances' units differ only in name and port.
        let first = old.replacing("blog-2", with: "blog-1").replacing("127.0.0.1:8202", with: "127.0.0.1:8201")
        #expect(engine.host.files["blog-1.service"] == first)
        #expect(events.dropFirst(4).contains("restart blog-1.service"), "\(events)")
        #expect(events.dropFirst(4).contains("restart blog-2.service"), "\(events)")
        let summary = try engine.store.summary()
        #expect(summary.quarantined.map(\.commit) == [bad])
        #expect(summary.lastHealthy?.commit == good)
        #expect(summary.degraded == nil)
    }
}

/// Scaling adds and removes instances like any other service: a removed instance's unit
/// is stopped and deleted.
struct ScalingTests {
    @Test("scaling 2 → 3 → 1 adds the third instance, then removes the second and third")
    func scalesUpAndDown() throws {
        let engine = EngineFixture()
        engine.repository.commit(RollingUpdateTests.blog(count: 2))
        try engine.once()
        #expect(try engine.store.inventory().units == ["blog-1.service", "blog-2.service"])

        engine.repository.commit(RollingUpdateTests.blog(count: 3))
        engine.host.clearOperations()
        try engine.once()
        #expect(try engine.store.inventory().units == ["blog-1.service", "blog-2.service", "blog-3.service"])
        #expect(engine.host.isActive("blog-3.service"))
        #expect(!engine.host.operations.contains("restart blog-1.service"), "the running instances are untouched")
        #expect(engine.health.checked.last == RollingUpdateTests.probe(3))

        engine.repository.commit(RollingUpdateTests.blog(count: 1))
        try engine.once()
        #expect(try engine.store.inventory().units == ["blog-1.service"])
        #expect(engine.host.files.keys.sorted() == ["blog-1.service"])
        #expect(!engine.host.isActive("blog-2.service") && !engine.host.isActive("blog-3.service"))
        #expect(engine.host.isActive("blog-1.service"))
    }

    @Test("update: recreate restarts every instance before any health check")
    func recreateRestartsAllAtOnce() throws {
        let engine = EngineFixture()
        engine.repository.commit(RollingUpdateTests.blog(version: "1", update: "recreate"))
        try engine.once()
        let timeline = RollingUpdateTests.Timeline(engine)
        engine.repository.commit(RollingUpdateTests.blog(version: "2", update: "recreate"))

        try engine.once()

        let events = timeline.events(engine).filter { $0.hasPrefix("restart") || $0.hasPrefix("health") }
        #expect(
            Array(events.prefix(2)) == ["restart blog-1.service", "restart blog-2.service"], "\(events)")
    }

    @Test("the instances of a built service share one image build")
    func instancesShareOneBuild() throws {
        let engine = EngineFixture()
        engine.repository.commit(RollingUpdateTests.blog(count: 3))
        try engine.once()
        #expect(engine.host.operations.count { $0.hasPrefix("build ") } == 1, "\(engine.host.operations)")
    }
}
