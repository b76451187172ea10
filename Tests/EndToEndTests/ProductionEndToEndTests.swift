import Foundation
import Testing

/// The repository's own desired-state/ (the blog's production shape: Caddy with an ACME
/// certificate in front of two rolling instances, PostgreSQL, its backup timer) deployed on
/// one fresh host labelled web=blog and db=blog, then a code commit and a Caddyfile commit
/// deployed under constant HTTPS load without one failed request.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ProductionEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote
    static let site = "blog.example.test"
    static let webFile = "desired-state/blog-web.yaml"
    static let caddyfile = "desired-state/proxy/Caddyfile"

    /// blog-web.yaml with only what a test host needs changed: pebble instead of Let's Encrypt
    /// (its address, and its listener's CA for Caddy's ACME connection, mounted read-only) and
    /// the test site's name. Each replaced line must exist, so a changed file fails loudly.
    static func testHostWebDocument() throws -> String {
        var text = try String(contentsOfFile: "\(Testbed.repositoryRoot)/\(webFile)", encoding: .utf8)
        let replacements = [
            "  SITE_ADDRESS: blog.example.org\n": "  SITE_ADDRESS: \(site)\n",
            "  ACME_EMAIL: ops@blog.example.org\n":
                "  ACME_EMAIL: ops@\(site)\n  ACME_CA: https://localhost:14000/dir\n"
                + "  SSL_CERT_FILE: \(TestHost.pebbleListenerCA)\n",
            "volumes: [\"proxy-data:/data\"]\n":
                "volumes: [\"proxy-data:/data\", \"\(TestHost.pebbleListenerCA):\(TestHost.pebbleListenerCA):ro\"]\n",
        ]
        for (old, new) in replacements {
            guard text.contains(old) else { throw TestbedError(message: "\(webFile) has no line \(old)") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }

    /// A request from inside the host over HTTPS to the site, with a cookie jar and curl
    /// verifying the chain to pebble's root; returns (status, body).
    static func https(_ host: TestHost, _ path: String, form: [String: String] = [:]) throws -> (Int, String) {
        var arguments = [
            "curl", "-sS", "--max-time", "10", "--cacert", TestHost.pebbleRoot, "-b", "/root/jar", "-c", "/root/jar",
            "-o", "-", "-w", "\n%{http_code}",
        ]
        for (key, value) in form.sorted(by: { $0.key < $1.key }) {
            arguments += ["--data-urlencode", "\(key)=\(value)"]
        }
        let output = try host.mustExec(arguments + ["https://\(site)\(path)"])
        let split = output.lastIndex(of: "\n") ?? output.endIndex
        let status = Int(String(output[output.index(after: split)...]).trimmed) ?? 0
        return (status, String(output[..<split]))
    }

    static func mainPID(_ host: TestHost, _ unit: String) throws -> String {
        try host.mustExec("systemctl", "show", "--property", "MainPID", "--value", unit).trimmed
    }

    /// Where `needle` is in `text`, or nil: for the order of plan lines.
    static func position(of needle: String, in text: String) -> String.Index? {
        text.range(of: needle)?.lowerBound
    }

    @Test(
        "the production desired-state/ comes up on a fresh host in one run, serves HTTPS from its ACME CA with posts in PostgreSQL, and a code commit and a Caddyfile commit deploy without a failed request",
        .timeLimit(.minutes(60)))
    func theProductionShapeDeploysAndRollsWithoutAFailedRequest() throws {
        let started = Date()
        let host = try TestHost.bootFresh("e2e-prod1")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.startPebble(resolving: Self.site)
        // No registry in the testbed: the proxy's and the database's base is the local Debian image.
        try host.mustExec(
            "podman", "tag", "localhost/reconciler-testbed-python:3.11", "docker.io/library/debian:bookworm-slim")
        try host.copyRepository(to: Self.work, production: true)
        try host.writeFile("\(Self.work)/\(Self.webFile)", try Self.testHostWebDocument())
        let password = "pw 'q' \(UInt32.random(in: 0...UInt32.max))"
        try host.writeFile("/etc/reconciler/secrets/blog-db.env", "POSTGRES_PASSWORD=\(password)\n")
        try host.writeFile("/etc/reconciler/secrets/blog.env", "FLASKR_DATABASE_PASSWORD=\(password)\n")
        try host.mustExec("chmod", "0600", "/etc/reconciler/secrets/blog-db.env", "/etc/reconciler/secrets/blog.env")
        try host.initRepository(work: Self.work, remote: Self.remote)
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            """
            repository:
              url: \(Self.remote)
            host:
              name: prod1
              labels: {web: blog, db: blog}

            """)

        // One run brings up the whole blog.
        let deployStarted = Date()
        let first = try host.once(timeout: 1800)
        let deploySeconds = Date().timeIntervalSince(deployStarted)
        #expect(first.status == 0, "\(first)")
        for unit in ["proxy", "blog-1", "blog-2", "blog-db"] {
            #expect(try host.exec("systemctl", "is-active", "\(unit).service").stdout.trimmed == "active", "\(unit)")
        }
        #expect(try host.mustExec("systemctl", "is-enabled", "blog-db-backup.timer").trimmed == "enabled")
        print("production: the first `once` deployed the whole blog in \(Int(deploySeconds)) s")

        try Self.httpsRedirectAndHSTS(host)
        try Self.postsAreInPostgreSQL(host)
        try Self.codeCommitRollsTheInstancesUnderLoad(host)
        try Self.caddyfileCommitReloadsTheProxyUnderLoad(host)
        print("production: the whole test took \(Int(Date().timeIntervalSince(started))) s")
        try host.stop()
    }

    /// A certificate chain to pebble's root for the site's name, the blog behind it, http://
    /// redirected permanently to https://, HSTS.
    static func httpsRedirectAndHSTS(_ host: TestHost) throws {
        let page = try ProxyEndToEndTests.curl(host, ["-v", "--cacert", TestHost.pebbleRoot, "https://\(site)/"])
        #expect(page.status == 0, "\(page)")
        #expect(page.stdout.contains("Flaskr"), "\(page)")
        #expect(page.stderr.contains("issuer: CN=Pebble Intermediate CA"), "\(page)")
        let headers = try ProxyEndToEndTests.curl(host, ["-I", "--cacert", TestHost.pebbleRoot, "https://\(site)/"])
        #expect(headers.stdout.lowercased().contains("strict-transport-security: max-age=31536000"), "\(headers)")
        let redirect = try ProxyEndToEndTests.curl(
            host, ["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://\(site)/create?x=1"])
        #expect(redirect.stdout == "308 https://\(site)/create?x=1", "\(redirect)")
    }

    static let title = "Written over HTTPS"

    /// A post written through the proxy is a row in PostgreSQL, and each instance serves it.
    static func postsAreInPostgreSQL(_ host: TestHost) throws {
        #expect(try https(host, "/auth/register", form: ["username": "grace", "password": "hopper"]).0 == 302)
        #expect(try https(host, "/auth/login", form: ["username": "grace", "password": "hopper"]).0 == 302)
        #expect(try https(host, "/create", form: ["title": title, "body": "Through Caddy."]).0 == 302)
        try expectPostEverywhere(host)
    }

    static func expectPostEverywhere(_ host: TestHost) throws {
        let rows = try host.mustExec(
            "podman", "exec", "blog-db", "psql", "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-c", "SELECT title FROM post",
            "blog")
        #expect(rows.trimmed == title, "\(rows)")
        for port in [8001, 8002] {
            let page = try host.mustExec("curl", "-sS", "--max-time", "10", "http://127.0.0.1:\(port)/")
            #expect(page.contains(title), "instance on \(port): \(page)")
        }
    }

    static let marker = "Deployed by a commit, rolled one instance at a time"

    /// A visible change in the app's template: the plan restarts blog-1, then blog-2, not the
    /// proxy; no request of the load fails or gets an error status; the new page is served.
    static func codeCommitRollsTheInstancesUnderLoad(_ host: TestHost) throws {
        let template = "\(work)/app/flaskr/templates/base.html"
        try host.mustExec(
            "sed", "-i", "s|<h1><a href=\"{{ url_for('index') }}\">Flaskr</a></h1>|&<p>\(marker)</p>|", template)
        #expect(try host.mustExec("grep", "-c", marker, template).trimmed == "1")
        try host.commitAll(work: work, remote: remote, message: "Show a line under the title")
        let proxyPID = try mainPID(host, "proxy.service")

        try startLoad(host)
        let run = try host.once(timeout: 1200)
        let load = try stopLoad(host)
        print("production: code commit, rolling deploy under load: \(load)")
        #expect(run.status == 0, "\(run)")
        let codes = try unusualCodes(host)
        #expect(load.requests > 20 && load.failed == 0 && load.non2xx == 0, "\(load): \(codes)")
        let one = position(of: "restart blog-1.service", in: run.stdout)
        let two = position(of: "restart blog-2.service", in: run.stdout)
        #expect(one.flatMap { first in two.map { first < $0 } } == true, "blog-1 then blog-2: \(run)")
        #expect(!run.stdout.contains("proxy.service"), "\(run)")
        #expect(try mainPID(host, "proxy.service") == proxyPID)
        #expect(try https(host, "/").1.contains(marker))
        for port in [8001, 8002] {
            #expect(try host.mustExec("curl", "-sS", "--max-time", "10", "http://127.0.0.1:\(port)/").contains(marker))
        }
        // The post written before the deploy is still there, on both new instances.
        try expectPostEverywhere(host)
    }

    /// A commit touching only the Caddyfile (a response header): `reload proxy.service`, the
    /// same proxy process, the header served, and no request of the load fails.
    static func caddyfileCommitReloadsTheProxyUnderLoad(_ host: TestHost) throws {
        let file = "\(work)/\(caddyfile)"
        try host.mustExec(
            "sed", "-i",
            "s|^\theader Strict-Transport-Security .*$|&\\n\theader X-Served-By \"reconciler production test\"|", file)
        #expect(try host.mustExec("grep", "-c", "X-Served-By", file).trimmed == "1")
        try host.commitAll(work: work, remote: remote, message: "Name the proxy in a response header")
        let proxyPID = try mainPID(host, "proxy.service")
        let blogPIDs = try ["blog-1", "blog-2"].map { try mainPID(host, "\($0).service") }

        try startLoad(host)
        let run = try host.once(timeout: 600)
        let load = try stopLoad(host)
        print("production: Caddyfile commit, reload under load: \(load)")
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("reload proxy.service"), "\(run)")
        #expect(!run.stdout.contains("restart proxy.service"), "\(run)")
        #expect(!run.stdout.contains("blog-1.service") && !run.stdout.contains("blog-2.service"), "\(run)")
        let codes = try unusualCodes(host)
        #expect(load.requests > 20 && load.failed == 0 && load.non2xx == 0, "\(load): \(codes)")
        #expect(try mainPID(host, "proxy.service") == proxyPID)
        #expect(try ["blog-1", "blog-2"].map { try mainPID(host, "\($0).service") } == blogPIDs)
        let headers = try ProxyEndToEndTests.curl(host, ["-I", "--cacert", TestHost.pebbleRoot, "https://\(site)/"])
        #expect(headers.stdout.lowercased().contains("x-served-by: reconciler production test"), "\(headers)")
    }
}
