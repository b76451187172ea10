import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// A fresh host starts every unit before it waits for any health check: the rolling gate is
/// for replacing running instances, and waiting for a new instance first would hold back a
/// service it needs that comes later in the plan (blog-db sorts after blog-1 and blog-2).
struct RollingFirstStartTests {
    static let database = """
        apiVersion: reconciler/v1
        kind: Service
        name: blog-db
        image: {ref: "docker.io/library/postgres:15"}
        ports: ["5432:5432"]
        health: {tcp: 5432, timeout: 30s}

        """

    @Test("a new rolling service's instances wait for their health check only after the database they need has started")
    func freshInstancesDoNotHoldBackTheDatabase() throws {
        let engine = EngineFixture()
        var files = RollingUpdateTests.blog()
        files["desired-state/blog-db.yaml"] = Self.database
        // The instances answer only once blog-db has been started, as the blog waits for PostgreSQL.
        let (host, health) = (engine.host, engine.health)
        health.onWait {
            let up = host.operations.contains("start blog-db.service")
            for instance in [1, 2] {
                health.fail(RollingUpdateTests.probe(instance), detail: up ? nil : "database unavailable")
            }
        }
        engine.repository.commit(files)

        try engine.once()

        let starts = host.operations.filter { $0.hasPrefix("start ") }
        #expect(
            starts == ["start blog-1.service", "start blog-2.service", "start blog-db.service"], "\(host.operations)")
        #expect(host.isActive("blog-1.service") && host.isActive("blog-2.service") && host.isActive("blog-db.service"))
    }
}
