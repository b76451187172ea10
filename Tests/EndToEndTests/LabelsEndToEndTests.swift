import Foundation
import Testing

/// One repository, three hosts: the repository's own production desired-state/ split by
/// labels, proxy and two blog instances on the two app hosts (web=blog), PostgreSQL and its
/// backup timer on the db host (db=blog), all converging from one commit; each host runs
/// exactly its own services, and a post written through one app host's proxy is read through
/// the other's. A host whose labels select nothing is refused, naming the labels that would.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct LabelsEndToEndTests {
    static let webUnits: Set<String> = ["proxy.service", "blog-1.service", "blog-2.service"]
    static let dbUnits: Set<String> = ["blog-db.service", "blog-db-backup.service", "blog-db-backup.timer"]

    @Test(
        "the production desired-state/ splits by label across two app hosts and a db host from one commit, and a host no label selects is refused",
        .timeLimit(.minutes(60)))
    func oneRepositoryThreeHosts() async throws {
        let started = Date()
        let db = try TestHost.bootFresh("e2e-fldb")
        let web1 = try TestHost.bootFresh("e2e-flweb1")
        let web2 = try TestHost.bootFresh("e2e-flweb2")
        let password = "pw 'q' \(UInt32.random(in: 0...UInt32.max))"
        try Self.prepare(db, secret: "blog-db.env", password: "POSTGRES_PASSWORD=\(password)\n")
        for web in [web1, web2] {
            try Self.prepare(web, secret: "blog.env", password: "FLASKR_DATABASE_PASSWORD=\(password)\n")
            try Self.placeCertificates(web)
        }
        let commit = try Self.serveRepository(on: db)
        try Self.configure(db, name: "fldb", labels: "{db: blog}", db: db)
        try Self.configure(web1, name: "flweb1", labels: "{web: blog}", db: db)
        // A typo an operator makes: no document selects web=shop.
        try Self.configure(web2, name: "flweb2", labels: "{web: shop}", db: db)
        try Self.waitForRepository(web1, db: db)
        try Self.waitForRepository(web2, db: db)

        try Self.aHostNoLabelSelectsIsRefused(web2)

        // The database first: the instances wait for it on their first start.
        let dbStarted = Date()
        let dbRun = try db.once(timeout: 1800)
        let dbSeconds = Date().timeIntervalSince(dbStarted)
        #expect(dbRun.status == 0, "\(dbRun)")
        #expect(dbRun.stdout.contains("converged to \(commit.prefix(12))"), "\(dbRun)")

        // Both app hosts at once, as their agents would; web2 gets its label from --label.
        let appsStarted = Date()
        async let first = web1.once(timeout: 1800)
        async let second = web2.once("--label", "web=blog", timeout: 1800)
        let (web1Run, web2Run) = try await (first, second)
        let appsSeconds = Date().timeIntervalSince(appsStarted)
        for run in [web1Run, web2Run] {
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("converged to \(commit.prefix(12))"), "\(run)")
        }
        print(
            "labels: db host converged in \(Int(dbSeconds)) s, then both app hosts together in \(Int(appsSeconds)) s;"
                + " one commit on 3 hosts in \(Int(dbSeconds + appsSeconds)) s")

        try Self.eachHostRunsExactlyItsOwnServices(db: db, webs: [web1, web2])
        try Self.aPostWrittenThroughOneProxyIsReadThroughTheOther(db: db, writer: web1, reader: web2)
        try Self.diffAndConfigCheckTakeTheLabel(web2)
        try Self.aDatabaseCommitChangesOnlyTheDbHost(db: db, webs: [web1, web2])
        print("labels: the whole test took \(Int(Date().timeIntervalSince(started))) s")
        for host in [web1, web2, db] { try host.stop() }
    }

    /// web=shop selects nothing: `once` fails, says which labels would select documents, and
    /// nothing is written, built or started.
    static func aHostNoLabelSelectsIsRefused(_ host: TestHost) throws {
        let run = try host.once()
        #expect(run.status == 1, "\(run)")
        #expect(
            run.stderr.contains(
                "no document selects host flweb2 (labels web=shop); documents select labels db=blog"
                    + " (desired-state/blog-db.yaml); labels web=blog (desired-state/blog-web.yaml)"), "\(run)")
        #expect(run.stderr.contains("--label KEY=VALUE"), "\(run)")
        #expect(try blogUnits(host).isEmpty)
        let images = try host.mustExec("podman", "images", "--format", "{{.Repository}}")
        #expect(!images.contains("proxy") && !images.contains("blog"), "\(images)")
    }

    /// Unit files present and absent on each host, and the present ones running (the backup
    /// service is started by its timer only).
    static func eachHostRunsExactlyItsOwnServices(db: TestHost, webs: [TestHost]) throws {
        #expect(try blogUnits(db) == dbUnits)
        #expect(try db.exec("systemctl", "is-active", "blog-db.service").stdout.trimmed == "active")
        #expect(try db.exec("systemctl", "is-enabled", "blog-db-backup.timer").stdout.trimmed == "enabled")
        #expect(try db.exec("podman", "container", "exists", "proxy").status == 1)
        for web in webs {
            #expect(try blogUnits(web) == webUnits, "\(web.name)")
            for unit in webUnits.sorted() {
                #expect(try web.exec("systemctl", "is-active", unit).stdout.trimmed == "active", "\(web.name) \(unit)")
            }
            #expect(try web.exec("podman", "container", "exists", "blog-db").status == 1, "\(web.name)")
        }
    }

    static let title = "Written on one host, read on the other"

    /// One PostgreSQL behind both app hosts: a post written over HTTPS through web1's proxy is
    /// a row on the db host and a page served through web2's proxy.
    static func aPostWrittenThroughOneProxyIsReadThroughTheOther(
        db: TestHost, writer: TestHost, reader: TestHost
    ) throws {
        // The first request waits for Caddy to load its certificate.
        _ = try writer.exec(
            "sh", "-c",
            "for i in $(seq 60); do curl -sf -o /dev/null --resolve \(site):443:127.0.0.1 --cacert /root/ca/ca.pem"
                + " https://\(site)/ && exit 0; sleep 1; done; exit 1", timeout: 90)
        #expect(try https(writer, "/auth/register", form: ["username": "grace", "password": "hopper"]).0 == 302)
        #expect(try https(writer, "/auth/login", form: ["username": "grace", "password": "hopper"]).0 == 302)
        #expect(try https(writer, "/create", form: ["title": title, "body": "Across hosts."]).0 == 302)
        let rows = try db.mustExec(
            "podman", "exec", "blog-db", "psql", "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-c", "SELECT title FROM post",
            "blog")
        #expect(rows.trimmed == title, "\(rows)")
        let page = try https(reader, "/")
        #expect(page.0 == 200 && page.1.contains(title), "\(page)")
        // The user registered on web1 logs in on web2: one database, not one per host.
        #expect(try https(reader, "/auth/login", form: ["username": "grace", "password": "hopper"]).0 == 302)
    }

    /// `diff` and `config check` read --label as `once` does.
    static func diffAndConfigCheckTakeTheLabel(_ host: TestHost) throws {
        let inSync = try host.diff("--label", "web=blog")
        #expect(inSync.status == 0, "\(inSync)")
        let refused = try host.diff()
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("no document selects host flweb2 (labels web=shop)"), "\(refused)")
        let check = try host.exec("reconciler", "config", "check", "--label", "web=blog", "--output", "json")
        let report = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
        let settings = report?["settings"] as? [String: String]
        #expect(settings?["host.labels.web"] == "blog", "\(check)")
        let malformed = try host.exec("reconciler", "once", "--label", "web blog")
        #expect(malformed.status != 0)
        #expect(
            malformed.stderr.contains("--label takes KEY=VALUE (for example web=blog), not 'web blog'"), "\(malformed)")
    }

    /// A commit touching only blog-db.yaml restarts blog-db on the db host; the app hosts take
    /// the same commit with nothing to do, their proxy and instances untouched, and the post
    /// is still served after the database's restart.
    static func aDatabaseCommitChangesOnlyTheDbHost(db: TestHost, webs: [TestHost]) throws {
        let file = "\(work)/desired-state/blog-db.yaml"
        try db.mustExec("sed", "-i", "s|BACKUP_KEEP: \"30\"|BACKUP_KEEP: \"14\"|", file)
        #expect(try db.mustExec("grep", "-c", "BACKUP_KEEP: \"14\"", file).trimmed == "1")
        let commit = try db.commitAll(work: work, remote: remote, message: "Keep two weeks of dumps")
        let pids = try webs.map { web in
            try ["proxy", "blog-1", "blog-2"].map {
                try web.mustExec("systemctl", "show", "--property", "MainPID", "--value", "\($0).service").trimmed
            }
        }
        let pushed = Date()
        let dbRun = try db.once(timeout: 600)
        #expect(dbRun.status == 0, "\(dbRun)")
        #expect(dbRun.stdout.contains("converged to \(commit.prefix(12))"), "\(dbRun)")
        #expect(dbRun.stdout.contains("restart blog-db.service"), "\(dbRun)")
        for (index, web) in webs.enumerated() {
            let run = try web.once("--label", "web=blog", timeout: 600)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("in sync with \(commit.prefix(12)), nothing to do"), "\(run)")
            let now = try ["proxy", "blog-1", "blog-2"].map {
                try web.mustExec("systemctl", "show", "--property", "MainPID", "--value", "\($0).service").trimmed
            }
            #expect(now == pids[index], "\(web.name)")
        }
        print(
            "labels: a db-only commit reached all 3 hosts, one after the other, in"
                + " \(Int(Date().timeIntervalSince(pushed))) s; only the db host acted")
        let page = try https(webs[1], "/")
        #expect(page.0 == 200 && page.1.contains(title), "\(page)")
    }
}
