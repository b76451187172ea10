import Foundation
import Testing

/// The blog's reverse proxy (proxy/: Debian's Caddy) on a real host, from one commit: a
/// certificate from an ACME server (pebble in the host, standing in for Let's Encrypt), HTTP
/// redirected to HTTPS, HSTS, a graceful reload, and certificate files supplied on the host.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct ProxyEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote
    static let site = "blog.example.test"
    static let upstreamPorts = [8230, 8231]

    /// Upstreams on the host's loopback only, as the blog's instances are (`web`, `web2`): a
    /// static server with the /healthz the proxy's active health check asks for.
    static func upstream(_ name: String, port: Int) -> String {
        """
        apiVersion: reconciler/v1
        kind: Service
        name: \(name)
        image: {ref: "docker.io/library/python:3.11-slim"}
        command: ["sh", "-c", "mkdir -p /tmp/s && cd /tmp/s && echo ok > healthz && echo hello-from-upstream > index.html && exec python3 -m http.server \(port)"]
        ports: ["127.0.0.1:\(port):\(port)"]
        health: {http: "http://127.0.0.1:\(port)/healthz", timeout: 30s}

        """
    }

    /// The proxy from proxy/, with pebble as its ACME CA, its Caddyfile from git
    /// (desired-state/proxy/`caddyfile`, as blog-web.yaml mounts it), and `extraVolumes`.
    /// No `after:` on the upstreams: its Requires= would restart the proxy with each of them.
    static func proxy(caddyfile: String = "Caddyfile", extraVolumes: [String] = []) -> String {
        let volumes =
            (["proxy-data:/data", "\(TestHost.pebbleListenerCA):\(TestHost.pebbleListenerCA):ro"] + extraVolumes)
            .map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            apiVersion: reconciler/v1
            kind: Service
            name: proxy
            image:
              build: {context: proxy, dockerfile: proxy/Dockerfile}
            network: host
            env:
              SITE_ADDRESS: \(site)
              ACME_CA: https://localhost:14000/dir
              ACME_EMAIL: ops@\(site)
              # Go's TLS trusts this file: pebble's listener, for the ACME connection.
              SSL_CERT_FILE: \(TestHost.pebbleListenerCA)
            volumes: [\(volumes)]
            files:
              - {source: desired-state/proxy/\(caddyfile), target: /etc/caddy/Caddyfile}
            health: {tcp: 443, timeout: 60s}

            """
    }

    /// The repository's own proxy/Dockerfile and desired-state/proxy/ Caddyfiles, verbatim but
    /// for the upstreams (the blog's ports there, this suite's here), and the three services.
    static func repository() throws -> [String: String] {
        var files: [String: String] = [:]
        files["proxy/Dockerfile"] = try String(
            contentsOfFile: "\(Testbed.repositoryRoot)/proxy/Dockerfile", encoding: .utf8)
        let upstreams = "reverse_proxy 127.0.0.1:8001 127.0.0.1:8002 {"
        for name in ["Caddyfile", "Caddyfile.host-certs"] {
            let text = try String(
                contentsOfFile: "\(Testbed.repositoryRoot)/desired-state/proxy/\(name)", encoding: .utf8)
            guard text.contains(upstreams) else {
                throw TestbedError(message: "desired-state/proxy/\(name) has no line `\(upstreams)`")
            }
            files["desired-state/proxy/\(name)"] = text.replacingOccurrences(
                of: upstreams,
                with: "reverse_proxy 127.0.0.1:\(upstreamPorts[0]) 127.0.0.1:\(upstreamPorts[1]) {")
        }
        files["desired-state/web.yaml"] = upstream("web", port: upstreamPorts[0])
        files["desired-state/web2.yaml"] = upstream("web2", port: upstreamPorts[1])
        files["desired-state/proxy.yaml"] = proxy()
        return files
    }

    /// `curl` inside the host, retried until it exits 0 (the certificate is issued right after
    /// the proxy starts); returns stdout and stderr (curl -v prints the certificate there).
    static func curl(_ host: TestHost, _ arguments: [String]) throws -> CommandResult {
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        return try host.exec(
            "sh", "-c", "for i in $(seq 60); do curl -sS --max-time 10 \(quoted) && exit 0; sleep 1; done; exit 1",
            timeout: 120)
    }

    @Test(
        "one commit brings up the proxy with a certificate from the ACME server, a redirect, HSTS, a reload that keeps its process, and host-supplied certificates",
        .timeLimit(.minutes(60)))
    func theProxyServesHTTPSFromACommit() throws {
        let host = try TestHost.bootFresh("e2e-prx1")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler")
        try host.startPebble(resolving: Self.site)
        // The Dockerfile's base, from the testbed's local Debian image (no registry here).
        try host.mustExec(
            "podman", "tag", "localhost/reconciler-testbed-python:3.11", "docker.io/library/debian:bookworm-slim")
        try host.writeRepository(try Self.repository(), to: Self.work)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")

        let first = try host.once()
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("build-image localhost/reconciler/proxy:"), "\(first)")

        // HTTPS with a chain to pebble's root, verified for the site's name by curl.
        let https = try Self.curl(host, ["-v", "--cacert", TestHost.pebbleRoot, "https://\(Self.site)/"])
        #expect(https.status == 0, "\(https)")
        #expect(https.stdout.contains("hello-from-upstream"), "\(https)")
        #expect(https.stderr.contains("issuer: CN=Pebble Intermediate CA"), "\(https)")
        let headers = try Self.curl(host, ["-I", "--cacert", TestHost.pebbleRoot, "https://\(Self.site)/"])
        #expect(headers.stdout.lowercased().contains("strict-transport-security: max-age=31536000"), "\(headers)")
        // Plain HTTP is a permanent redirect to the same path over HTTPS.
        let redirect = try Self.curl(
            host, ["-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://\(Self.site)/posts?x=1"])
        #expect(redirect.stdout == "308 https://\(Self.site)/posts?x=1", "\(redirect)")

        try Self.expectKeysStayPrivate(host)

        // Graceful reloads (what the proxy unit's ExecReload will run): same process, and no
        // request of a client running throughout fails.
        let pid = try host.mustExec("podman", "container", "inspect", "--format", "{{.State.Pid}}", "proxy").trimmed
        let reloads = try Self.requests(
            host, during: "podman exec proxy caddy reload --config /etc/caddy/Caddyfile --force 2>/dev/null")
        print("proxy: 3 reloads under requests: \(reloads.ok) answered 200, \(reloads.failed) failed")
        #expect(reloads.ok > 10 && reloads.failed == 0, "\(reloads)")
        #expect(
            try host.mustExec("podman", "container", "inspect", "--format", "{{.State.Pid}}", "proxy").trimmed == pid)
        // An instance restarting (as in a deploy) is skipped: requests go to the other one.
        let restarts = try Self.requests(host, during: "systemctl restart web.service")
        print(
            "proxy: 3 restarts of one upstream under requests: \(restarts.ok) answered 200, \(restarts.failed) failed")
        #expect(restarts.ok > 10 && restarts.failed == 0, "\(restarts)")

        try Self.hostSuppliedCertificatesAreServed(host)
        try host.stop()
    }

    /// One HTTPS request after another (a new connection each, verifying the certificate)
    /// while `action` runs three times, a second apart: how many got a 200, how many did not.
    static func requests(_ host: TestHost, during action: String) throws -> (ok: Int, failed: Int) {
        let request =
            "curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert \(TestHost.pebbleRoot) https://\(site)/"
        let script = """
            set -e
            rm -f /tmp/stop /tmp/codes /tmp/retried
            # A connection the old server drops during a reload: curl 16 (an HTTP/2 stream
            # refused unprocessed by its GOAWAY, which browsers retry, RFC 9113 6.8) or, rarely,
            # another transport error (one in 363 requests over 3 reloads in a CI run). Retried
            # once and counted with curl's exit status; a request that fails twice is a failure.
            ( while [ ! -e /tmp/stop ]; do
                status=0; code=$(\(request)) || status=$?
                if [ "$status" != 0 ]; then echo "$status" >> /tmp/retried; code=$(\(request) || true); fi
                echo "$code" >> /tmp/codes
              done ) &
            sleep 1
            for i in 1 2 3; do \(action); sleep 1; done
            touch /tmp/stop; wait
            echo "$(grep -c '^200$' /tmp/codes || true) $(grep -vc '^200$' /tmp/codes || true) $(cat /tmp/retried 2>/dev/null | wc -l) $(sort /tmp/retried 2>/dev/null | uniq -c | tr -s ' \\n' ',')"
            """
        let words = try host.mustExec("sh", "-c", script, timeout: 180).trimmed.split(separator: " ")
        guard words.count >= 3 else { throw TestbedError(message: "unreadable request counts: \(words)") }
        let statuses = words.count > 3 ? " (count,curl exit: \(words[3]))" : ""
        print("proxy: \(words[2]) requests retried once after a dropped connection\(statuses)")
        return (Int(words[0]) ?? 0, Int(words[1]) ?? -1)
    }

    /// The private key is on the proxy's volume only, readable by its user alone, and never in
    /// the journal or the reconciler's store; Caddy runs unprivileged.
    static func expectKeysStayPrivate(_ host: TestHost) throws {
        let data = try host.mustExec("podman", "volume", "inspect", "--format", "{{.Mountpoint}}", "proxy-data").trimmed
        let key = try host.mustExec("sh", "-c", "find '\(data)/caddy/certificates' -name '\(site).key' | head -1")
            .trimmed
        #expect(!key.isEmpty, "no key in \(data)")
        // The key's longest base64 line: a distinctive string to look for elsewhere.
        let line = try host.mustExec("sh", "-c", "grep -v -- ----- '\(key)' | head -1").trimmed
        #expect(line.count > 40)
        #expect(try host.mustExec("stat", "-c", "%a %u", data).trimmed == "700 990")
        let journal = try host.exec("sh", "-c", "journalctl -o cat | grep -c -F -e '\(line)' -e 'PRIVATE KEY'")
        #expect(journal.stdout.trimmed == "0", "\(journal)")
        let logs = try host.exec("sh", "-c", "podman logs proxy 2>&1 | grep -c -F -e '\(line)' -e 'PRIVATE KEY'")
        #expect(logs.stdout.trimmed == "0", "\(logs)")
        let store = try host.exec(
            "sh", "-c", "cat /var/lib/reconciler/state.sqlite* | grep -a -c -F -e '\(line)' -e 'PRIVATE KEY'")
        #expect(store.stdout.trimmed == "0", "\(store)")
        #expect(try host.mustExec("podman", "exec", "proxy", "id", "-u").trimmed == "990")
        // The unauthenticated admin API is a socket inside the container, not a port on the host.
        #expect(try host.exec("curl", "-s", "--max-time", "5", "http://localhost:2019/config/").status != 0)
    }

    /// An internal CA made with openssl: the operator places the site's certificate and key on
    /// the host, and a commit points the proxy's `files:` at desired-state/proxy/Caddyfile.host-certs.
    static func hostSuppliedCertificatesAreServed(_ host: TestHost) throws {
        try host.placeInternalCACertificate(for: site)
        try host.writeFile(
            "\(work)/desired-state/proxy.yaml",
            proxy(
                caddyfile: "Caddyfile.host-certs",
                extraVolumes: ["/etc/reconciler/certs:/etc/reconciler/certs:ro"]))
        let commit = try host.commitAll(work: work, remote: remote, message: "Serve the internal CA's certificate")
        let run = try host.once()
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("converged to \(commit.prefix(12))"), "\(run)")
        #expect(run.stdout.contains("restart proxy.service"), "\(run)")
        let https = try curl(host, ["-v", "--cacert", "/root/ca/ca.pem", "https://\(site)/"])
        #expect(https.status == 0, "\(https)")
        #expect(https.stdout.contains("hello-from-upstream"), "\(https)")
        #expect(https.stderr.contains("issuer: CN=testbed internal CA"), "\(https)")
        let headers = try curl(host, ["-I", "--cacert", "/root/ca/ca.pem", "https://\(site)/"])
        #expect(headers.stdout.lowercased().contains("strict-transport-security: max-age=31536000"), "\(headers)")
        let redirect = try curl(host, ["-o", "/dev/null", "-w", "%{http_code}", "http://\(site)/"])
        #expect(redirect.stdout == "308", "\(redirect)")
    }
}
