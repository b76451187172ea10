import Foundation
import Testing

/// The blog's data survives losing it, on real hosts: posts are written, the backup timer's
/// service takes a backup, the data is destroyed, and the documented restore command brings
/// every post back. Once on PostgreSQL (the image built from postgres/Dockerfile, the example
/// desired state) and once on SQLite (the repository's own desired-state/).
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct DatabaseBackupEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote
    static let titles = ["First of three", "Second, with a comma", "Third: 'quoted'"]

    /// Publishes the blog on `port` instead of 8080, so suites running side by side stay apart.
    static func movePort(_ host: TestHost, file: String, to port: Int) throws {
        try host.mustExec(
            "sed", "-i", "-e", "s/8080:8080/\(port):8080/", "-e", "s|127.0.0.1:8080|127.0.0.1:\(port)|", file)
    }

    /// Registers, logs in and writes `titles`; returns the page that lists them.
    static func writePosts(_ url: String) throws -> BlogClient {
        let client = BlogClient(baseURL: url)
        #expect(try client.register("grace", password: "hopper") == 302)
        #expect(try client.logIn("grace", password: "hopper") == 302)
        for title in titles {
            #expect(try client.createPost(title: title, body: "Kept by the backup.") == 302)
        }
        return client
    }

    static func missingTitles(_ url: String) throws -> [String] {
        let page = try BlogClient(baseURL: url).request("/")
        guard page.status == 200 else { return titles }
        return titles.filter { !page.body.contains($0.replacingOccurrences(of: "'", with: "&#39;")) }
    }

    @Test(.timeLimit(.minutes(60)))
    func postgresBackupFromTheTimerIsRestoredAfterTheDatabaseIsDropped() throws {
        let host = try TestHost.bootFresh("e2e-db-pg")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.copyRepository(to: Self.work)
        // The example as an operator would commit it; only the base image (no registry in the
        // testbed) and the database's address (the host's, as other app hosts would use) differ.
        let file = "\(Self.work)/desired-state/blog-postgres.yaml"
        try host.mustExec("rm", "\(Self.work)/desired-state/blog.yaml")
        try host.mustExec("cp", "\(Self.work)/examples/single-host/blog-postgres.yaml", file)
        try host.mustExec(
            "sed", "-i", "-e", "s|debian:bookworm-slim|localhost/reconciler-testbed-python:3.11|",
            "-e", "s|host.containers.internal|\(host.address)|", file)
        try Self.movePort(host, file: file, to: 8240)
        // A password that needs quoting everywhere it goes.
        let password = "pw 'q' \(UInt32.random(in: 0...UInt32.max))"
        try host.writeFile("/etc/reconciler/secrets/blog-db.env", "POSTGRES_PASSWORD=\(password)\n")
        try host.writeFile("/etc/reconciler/secrets/blog.env", "FLASKR_DATABASE_PASSWORD=\(password)\n")
        try host.mustExec("chmod", "0600", "/etc/reconciler/secrets/blog-db.env", "/etc/reconciler/secrets/blog.env")
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "db1")

        let deploy = try host.once(timeout: 1500)
        #expect(deploy.status == 0, "\(deploy)")
        let url = "http://\(host.address):8240"
        #expect(try HTTPProbe.waitForOK("\(url)/healthz", timeout: 120) == "ok")
        _ = try Self.writePosts(url)
        #expect(try Self.missingTitles(url) == [])
        let psql = ["podman", "exec", "blog-db", "psql", "-X", "-tA", "-v", "ON_ERROR_STOP=1"]
        #expect(try host.mustExec(psql + ["-c", "SELECT version FROM schema_version", "blog"]).trimmed == "1")
        #expect(try host.mustExec("systemctl", "is-enabled", "blog-db-backup.timer").trimmed == "enabled")

        // What the timer starts, started now.
        try host.mustExec("systemctl", "start", "blog-db-backup.service", timeout: 300)
        let dumps = try host.mustExec("podman", "exec", "blog-db", "ls", "/var/lib/postgresql/backups")
            .split(separator: "\n").map(String.init)
        #expect(dumps.count == 1 && dumps[0].hasPrefix("blog-") && dumps[0].hasSuffix(".dump"), "\(dumps)")
        let log = try host.mustExec("journalctl", "-u", "blog-db-backup.service", "--no-pager", "-o", "cat")
        #expect(log.contains("/var/lib/postgresql/backups/\(dumps.first ?? "?")"), "\(log)")

        // The whole database gone: the blog cannot serve its posts.
        try host.mustExec(psql + ["-c", "DROP DATABASE blog WITH (FORCE)", "postgres"])
        #expect(try Self.missingTitles(url) == Self.titles)

        let restore = try host.mustExec(
            "podman", "exec", "blog-db", "pg-restore", "/var/lib/postgresql/backups/\(dumps.first ?? "?")", timeout: 300
        )
        #expect(restore.contains("restored blog"), "\(restore)")
        #expect(try Self.missingTitles(url) == [])
        // Owned by the blog's role again: the blog can write, not only read.
        let client = BlogClient(baseURL: url)
        #expect(try client.logIn("grace", password: "hopper") == 302)
        #expect(try client.createPost(title: "After the restore", body: "") == 302)
        #expect(try client.index().contains("After the restore"))
    }

    @Test(.timeLimit(.minutes(60)))
    func sqliteBackupFromTheTimerIsRestoredAfterTheFileIsDeleted() throws {
        let host = try TestHost.bootFresh("e2e-db-lite")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.copyRepository(to: Self.work)
        try Self.movePort(host, file: "\(Self.work)/desired-state/blog.yaml", to: 8241)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "db2")

        let deploy = try host.once(timeout: 1500)
        #expect(deploy.status == 0, "\(deploy)")
        let url = "http://\(host.address):8241"
        #expect(try HTTPProbe.waitForOK("\(url)/healthz", timeout: 120) == "ok")
        _ = try Self.writePosts(url)
        #expect(try Self.missingTitles(url) == [])

        try host.mustExec("systemctl", "start", "blog-backup.service", timeout: 300)
        let backups = try host.mustExec("podman", "exec", "blog", "ls", "/data/backups")
            .split(separator: "\n").map(String.init)
        #expect(backups.count == 1 && backups[0].hasPrefix("flaskr-"), "\(backups)")

        // The database file and its WAL gone, as if the volume had lost them.
        try host.mustExec("podman", "exec", "blog", "sh", "-c", "rm -f /data/flaskr.sqlite /data/flaskr.sqlite-*")
        #expect(try Self.missingTitles(url) == Self.titles)

        let restore = try host.mustExec(
            "podman", "exec", "blog", "python3", "-m", "flaskr.restore", "/data/backups/\(backups.first ?? "?")")
        #expect(restore.contains("restored 3 posts"), "\(restore)")
        #expect(try Self.missingTitles(url) == [])
    }

    /// The same backup unit under docker: it names no runtime, and finds the one running `blog`.
    @Test(.timeLimit(.minutes(60)))
    func theSQLiteBackupUnitWorksUnderDockerToo() throws {
        let host = try TestHost.bootFresh("e2e-db-dock")
        try host.mustExec("systemctl", "start", "docker.service", timeout: 180)
        let repository = "/srv/db-dock"
        try host.copyRepository(to: repository)
        try Self.movePort(host, file: "\(repository)/desired-state/blog.yaml", to: 8242)
        // Built with podman and handed to dockerd, as DesiredStateEndToEndTests explains.
        try host.mustExec(
            "podman", "build", "--quiet", "--tag", "localhost/reconciler/blog:working-tree",
            "--build-arg", "BASE=python:3.11-slim", "--file", "\(repository)/Dockerfile", repository,
            timeout: 600)
        try host.mustExec("rm", "-f", "/var/tmp/blog.tar")
        try host.mustExec("podman", "save", "--output", "/var/tmp/blog.tar", "localhost/reconciler/blog:working-tree")
        try host.mustExec("docker", "load", "--input", "/var/tmp/blog.tar", timeout: 300)
        let units = try host.installRenderedUnits(from: repository, runtime: "docker")
        #expect(units.contains("blog-backup.service"), "\(units)")
        try host.mustExec("systemctl", "start", "blog.service", timeout: 120)
        let url = "http://\(host.address):8242"
        #expect(try HTTPProbe.waitForOK("\(url)/healthz", timeout: 90) == "ok")
        _ = try Self.writePosts(url)

        try host.mustExec("systemctl", "start", "blog-backup.service", timeout: 300)
        let backups = try host.mustExec("docker", "exec", "blog", "ls", "/data/backups")
            .split(separator: "\n").map(String.init)
        #expect(backups.count == 1 && backups[0].hasPrefix("flaskr-"), "\(backups)")
        try host.mustExec("docker", "exec", "blog", "sh", "-c", "rm -f /data/flaskr.sqlite /data/flaskr.sqlite-*")
        #expect(try Self.missingTitles(url) == Self.titles)

        let restore = try host.mustExec(
            "docker", "exec", "blog", "python3", "-m", "flaskr.restore", "/data/backups/\(backups.first ?? "?")")
        #expect(restore.contains("restored 3 posts"), "\(restore)")
        #expect(try Self.missingTitles(url) == [])
        try host.mustExec("systemctl", "stop", "blog.service", timeout: 120)
    }
}
