import Foundation
import Testing

/// Secrets from git, encrypted with age, on a real host: the container reads the clear text,
/// nothing else ever holds it, a rotation restarts only its service, a rollback brings the
/// older secret back, and a host that cannot decrypt refuses the commit.
@Suite(.serialized, .enabled(if: Testbed.shouldRun))
struct SecretsEndToEndTests {
    static let work = ConvergeEndToEndTests.work
    static let remote = ConvergeEndToEndTests.remote
    static let identity = "/etc/reconciler/age-identity.txt"
    /// The host's key, made before the host has it at `identity`, so a refusal can be seen first.
    static let spareIdentity = "/root/host-age-key.txt"

    /// `vault` serves its /run/secrets as a non-root user; `plain` has no secret.
    static func files(healthPath: String = "token", timeout: String = "30s") -> [String: String] {
        [
            "desired-state/vault.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: vault
            image: {ref: "docker.io/library/python:3.11-slim"}
            command: ["python3", "-m", "http.server", "8160", "--directory", "/run/secrets"]
            ports: ["8160:8160"]
            user: "1000:1000"
            env: {TOKEN_FILE: /run/secrets/token}
            secrets:
              - {file: desired-state/secrets/token.age, name: token}
            health: {http: "http://127.0.0.1:8160/\(healthPath)", timeout: \(timeout)}

            """,
            "desired-state/plain.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: plain
            image: {ref: "docker.io/library/python:3.11-slim"}
            command: ["python3", "-m", "http.server", "8161"]
            ports: ["8161:8161"]
            health: {http: "http://127.0.0.1:8161/", timeout: 30s}

            """,
        ]
    }

    /// Encrypts `canary` inside the host for `recipientOf`'s public key into the work tree.
    static func encrypt(_ canary: String, on host: TestHost, recipientOf key: String = spareIdentity) throws {
        let recipient = try host.mustExec("age-keygen", "-y", key).trimmed
        try host.mustExec(
            "sh", "-c", "printf 'TOKEN=%s\\n' \"$1\" | age -r \"$2\" -o \"$3\"", "sh", canary, recipient,
            "\(work)/desired-state/secrets/token.age")
    }

    static func canary() -> String { "canary-\(UUID().uuidString.lowercased())" }

    /// How many journal entries hold `text`, then every file under the searched places that does.
    static func search(_ text: String, on host: TestHost) throws -> String {
        try host.exec(
            "sh", "-c",
            "journalctl -o export --no-pager | grep -a -c -F \"$1\";"
                + " grep -r -a -l -F \"$1\" /etc/systemd/system /var/lib/reconciler /var/lib/containers"
                + " /var/tmp/ps.log /var/log 2>/dev/null; true", "sh", text
        ).stdout
    }

    @Test(.timeLimit(.minutes(60)))
    func aSecretReachesOnlyItsContainerAndRotatesAlone() throws {
        let host = try TestHost.bootFresh("e2e-secret")
        try host.mustExec("rm", "-rf", "/var/lib/reconciler", Self.identity, "/etc/systemd/system/vault.service")
        try host.mustExec("sh", "-c", "umask 077 && age-keygen -o \(Self.spareIdentity) 2>/dev/null")
        let first = Self.canary()
        try host.writeRepository(Self.files(), to: Self.work)
        try host.mustExec("mkdir", "-p", "\(Self.work)/desired-state/secrets")
        try Self.encrypt(first, on: host)
        try host.initRepository(work: Self.work, remote: Self.remote)
        try ConvergeEndToEndTests.configure(host, name: "web1")
        var outputs: [String] = []

        // No identity on the host: refused, nothing written.
        let missing = try host.once()
        outputs.append("\(missing)")
        #expect(missing.status != 0, "\(missing)")
        #expect(missing.stderr.contains("refused, nothing was changed"), "\(missing)")
        #expect(missing.stderr.contains("no usable age identity at \(Self.identity)"), "\(missing)")
        #expect(try host.exec("test", "-e", "/etc/systemd/system/vault.service").status != 0)

        // An identity others can read: refused too.
        try host.mustExec("install", "-m", "0644", Self.spareIdentity, Self.identity)
        let open = try host.once()
        outputs.append("\(open)")
        #expect(open.status != 0, "\(open)")
        #expect(open.stderr.contains("chmod 0600 \(Self.identity)"), "\(open)")
        #expect(try host.exec("test", "-e", "/etc/systemd/system/vault.service").status != 0)

        // Deploy, sampling every command line while the units start.
        try host.mustExec("chmod", "0600", Self.identity)
        let sampled = try host.exec(
            "sh", "-c",
            "reconciler once --log-target journal > /var/tmp/once.out 2>&1 & p=$!;"
                + " while kill -0 $p 2>/dev/null; do ps -e -ww -o args= >> /var/tmp/ps.log; done;"
                + " wait $p; s=$?; cat /var/tmp/once.out; exit $s", timeout: 600)
        outputs.append("\(sampled)")
        #expect(sampled.status == 0, "\(sampled)")
        let url = "http://\(host.address):8160/token"
        #expect(try HTTPProbe.waitForOK(url, timeout: 60) == "TOKEN=\(first)\n")
        #expect(try host.mustExec("stat", "-c", "%a", "/run/reconciler/secrets").trimmed == "700")
        let psLines = try host.mustExec("wc", "-l", "/var/tmp/ps.log")
        // The sampling saw the units start (conmon and podman run), so a leak there would have shown.
        #expect(
            try host.exec("grep", "-q", "-e", "conmon", "-e", "podman run", "/var/tmp/ps.log").status == 0, "\(psLines)"
        )

        // Rotation: a new ciphertext restarts vault, and only vault.
        let plainBefore = try host.mustExec("systemctl", "show", "-p", "InvocationID,MainPID", "plain.service")
        let vaultBefore = try host.mustExec("systemctl", "show", "-p", "InvocationID", "vault.service")
        let second = Self.canary()
        try Self.encrypt(second, on: host)
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Rotate the token")
        let rotate = try host.once()
        outputs.append("\(rotate)")
        #expect(rotate.status == 0, "\(rotate)")
        #expect(rotate.stdout.contains("vault.service"), "\(rotate)")
        #expect(!rotate.stdout.contains("plain.service"), "\(rotate)")
        #expect(try HTTPProbe.waitForOK(url, timeout: 60) == "TOKEN=\(second)\n")
        #expect(try host.mustExec("systemctl", "show", "-p", "InvocationID,MainPID", "plain.service") == plainBefore)
        #expect(try host.mustExec("systemctl", "show", "-p", "InvocationID", "vault.service") != vaultBefore)

        // As at boot: the unit starts on its own, /run emptied, and decrypts its secret again.
        try host.mustExec("systemctl", "stop", "vault.service")
        #expect(try host.exec("test", "-e", "/run/reconciler/secrets/vault").status != 0, "removed at stop")
        try host.mustExec("systemctl", "start", "vault.service")
        #expect(try HTTPProbe.waitForOK(url, timeout: 60) == "TOKEN=\(second)\n")

        // A release that fails its health check is rolled back with its older secret.
        let third = Self.canary()
        try host.writeRepository(Self.files(healthPath: "missing", timeout: "10s"), to: "/var/tmp/next")
        try host.mustExec("cp", "/var/tmp/next/desired-state/vault.yaml", "\(Self.work)/desired-state/vault.yaml")
        try Self.encrypt(third, on: host)
        try host.commitAll(work: Self.work, remote: Self.remote, message: "Rotate with a broken check")
        let broken = try host.once()
        outputs.append("\(broken)")
        #expect(broken.status != 0, "\(broken)")
        #expect(try HTTPProbe.waitForOK(url, timeout: 60) == "TOKEN=\(second)\n")

        // A secret encrypted for another host's key: refused, the running secret stays.
        try host.mustExec("sh", "-c", "umask 077 && age-keygen -o /root/other-key.txt 2>/dev/null")
        try host.writeRepository(Self.files(), to: "/var/tmp/next")
        try host.mustExec("cp", "/var/tmp/next/desired-state/vault.yaml", "\(Self.work)/desired-state/vault.yaml")
        let fourth = Self.canary()
        try Self.encrypt(fourth, on: host, recipientOf: "/root/other-key.txt")
        try host.commitAll(work: Self.work, remote: Self.remote, message: "A token for another host")
        let foreign = try host.once()
        outputs.append("\(foreign)")
        #expect(foreign.status != 0, "\(foreign)")
        #expect(foreign.stderr.contains("cannot be decrypted with this host's identity"), "\(foreign)")
        #expect(try HTTPProbe.waitForOK(url, timeout: 60) == "TOKEN=\(second)\n")

        // Every command, text and JSON.
        for command in [["diff"], ["status"], ["history"], ["render", Self.work], ["validate", Self.work]] {
            for format in [[], ["--output", "json"]] {
                let result = try Testbed.run(
                    ["exec", host.name, "reconciler"] + command + format + ["--log-target", "stderr"], timeout: 300)
                outputs.append("\(result)")
            }
        }
        // The search reaches where the secret would be: the same command finds the owner label
        // in the unit file and in podman's stored container config, and the service in the journal.
        let control = try Self.search("io.reconciler.service=vault", on: host)
        #expect(control.contains("/etc/systemd/system/vault.service"), "\(control)")
        #expect(control.contains("/var/lib/containers/"), "\(control)")
        let journal = try Self.search("vault.service", on: host)
        #expect(Int(journal.split(separator: "\n").first ?? "") ?? 0 > 0, "\(journal)")
        for canary in [first, second, third, fourth] {
            for output in outputs { #expect(!output.contains(canary), "a command printed the secret: \(output)") }
            let found = try Self.search(canary, on: host)
            #expect(found.trimmed == "0", "the secret was found: \(found)")
        }
        try host.stop()
    }
}
