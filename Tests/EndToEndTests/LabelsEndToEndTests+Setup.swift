import Foundation
import Testing

/// How the three hosts of LabelsEndToEndTests are prepared: what an operator does once per host
/// (base images, secrets, certificates, config.yaml) and the one repository they all follow.
extension LabelsEndToEndTests {
    static let work = "/srv/work"
    static let remote = "/srv/desired.git"
    static let site = "blog.example.test"
    static let webFile = "desired-state/blog-web.yaml"
    static let gitPort = 9418

    /// git:// on the db host: every host, the db host too, follows this one URL.
    static func url(_ db: TestHost) -> String { "git://\(db.address):\(gitPort)/desired.git" }

    /// blog-web.yaml with only what a test host needs changed: the db host's address instead of
    /// host.containers.internal (PostgreSQL is on another host now), the test site's name, and
    /// host-supplied certificates (Caddyfile.host-certs and their folder) instead of ACME, so no
    /// ACME server is needed on each app host. Each replaced line must exist.
    static func testHostWebDocument(dbAddress: String) throws -> String {
        var text = try String(contentsOfFile: "\(Testbed.repositoryRoot)/\(webFile)", encoding: .utf8)
        let replacements = [
            "  SITE_ADDRESS: blog.example.org\n": "  SITE_ADDRESS: \(site)\n",
            "  FLASKR_DATABASE_URL: postgresql://blog@host.containers.internal:5432/blog\n":
                "  FLASKR_DATABASE_URL: postgresql://blog@\(dbAddress):5432/blog\n",
            "  - {source: desired-state/proxy/Caddyfile, target: /etc/caddy/Caddyfile}\n":
                "  - {source: desired-state/proxy/Caddyfile.host-certs, target: /etc/caddy/Caddyfile}\n",
            "volumes: [\"proxy-data:/data\"]\n":
                "volumes: [\"proxy-data:/data\", \"/etc/reconciler/certs:/etc/reconciler/certs:ro\"]\n",
        ]
        for (old, new) in replacements {
            guard text.contains(old) else { throw TestbedError(message: "\(webFile) has no line \(old)") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }

    /// What every host needs before its first run: no registry, so the Debian base is the local
    /// image; the database password in the secret the host's services read.
    static func prepare(_ host: TestHost, secret: String, password: String) throws {
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.mustExec(
            "podman", "tag", "localhost/reconciler-testbed-python:3.11", "docker.io/library/debian:bookworm-slim")
        try host.writeFile("/etc/reconciler/secrets/\(secret)", password)
        try host.mustExec("chmod", "0600", "/etc/reconciler/secrets/\(secret)")
    }

    /// An internal CA and the site's certificate, placed on an app host by its operator.
    static func placeCertificates(_ host: TestHost) throws {
        try host.placeInternalCACertificate(for: site)
    }

    /// The repository's production desired-state/ committed on the db host and served there by
    /// git daemon, reachable from the other hosts through the machine's routing.
    static func serveRepository(on db: TestHost) throws -> String {
        try db.copyRepository(to: work, production: true)
        try db.writeFile("\(work)/\(webFile)", try testHostWebDocument(dbAddress: db.address))
        try db.initRepository(work: work, remote: remote)
        try db.mustExec(
            "systemd-run", "--unit=fl-git-daemon", "git", "daemon", "--reuseaddr", "--export-all",
            "--base-path=/srv", "--listen=0.0.0.0", "--port=\(gitPort)", "/srv")
        return try db.git(work, "rev-parse", "HEAD").trimmed
    }

    /// The host's config.yaml: its name, its labels, the one repository.
    static func configure(_ host: TestHost, name: String, labels: String, db: TestHost) throws {
        try host.writeFile(
            "/etc/reconciler/config.yaml",
            """
            repository:
              url: \(url(db))
            host:
              name: \(name)
              labels: \(labels)

            """)
    }

    /// Waits until `host` can list the repository on the db host: git daemon has started.
    static func waitForRepository(_ host: TestHost, db: TestHost) throws {
        try host.mustExec(
            "sh", "-c",
            "for i in $(seq 60); do git ls-remote \(url(db)) >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1",
            timeout: 90)
    }

    /// The units named proxy* or blog* that systemd knows on `host`, by file name.
    static func blogUnits(_ host: TestHost) throws -> Set<String> {
        // `|| true`: no match is an empty list here, whatever systemctl's exit status says.
        let listing = try host.mustExec(
            "sh", "-c", "systemctl list-unit-files --no-legend --plain 'proxy*' 'blog*' || true")
        return Set(listing.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
    }

    /// A request from inside an app host over HTTPS to its own proxy, with a cookie jar and curl
    /// verifying the chain to that host's internal CA; returns (status, body).
    static func https(_ host: TestHost, _ path: String, form: [String: String] = [:]) throws -> (Int, String) {
        var arguments = [
            "curl", "-sS", "--max-time", "10", "--resolve", "\(site):443:127.0.0.1", "--cacert", "/root/ca/ca.pem",
            "-b", "/root/jar", "-c", "/root/jar", "-o", "-", "-w", "\n%{http_code}",
        ]
        for (key, value) in form.sorted(by: { $0.key < $1.key }) {
            arguments += ["--data-urlencode", "\(key)=\(value)"]
        }
        let output = try host.mustExec(arguments + ["https://\(site)\(path)"])
        let split = output.lastIndex(of: "\n") ?? output.endIndex
        let status = Int(String(output[output.index(after: split)...]).trimmed) ?? 0
        return (status, String(output[..<split]))
    }
}
