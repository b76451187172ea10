import Testing

@testable import ReconcilerGit

struct GitURLTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var scheme: String
        var host: String
        var port: Int
        var redacted: String
        var forLibgit2: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        Case(
            text: "/srv/repo.git", scheme: "file", host: "", port: 443, redacted: "/srv/repo.git",
            forLibgit2: "/srv/repo.git"),
        Case(
            text: "file:///srv/repo.git", scheme: "file", host: "", port: 443, redacted: "file:///srv/repo.git",
            forLibgit2: "file:///srv/repo.git"),
        Case(
            text: "git://git.example.org/repo.git", scheme: "git", host: "git.example.org", port: 9418,
            redacted: "git://git.example.org/repo.git", forLibgit2: "git://git.example.org/repo.git"),
        Case(
            text: "ssh://deploy@10.0.0.5:2222/srv/repo.git", scheme: "ssh", host: "10.0.0.5", port: 2222,
            redacted: "ssh://deploy@10.0.0.5:2222/srv/repo.git", forLibgit2: "ssh://deploy@10.0.0.5:2222/srv/repo.git"),
        Case(
            text: "git@github.com:acme/hosts.git", scheme: "scp", host: "github.com", port: 22,
            redacted: "git@github.com:acme/hosts.git", forLibgit2: "git@github.com:acme/hosts.git"),
        Case(
            text: "https://bot:s3cr%40t@git.example.org/acme/hosts.git", scheme: "https", host: "git.example.org",
            port: 443, redacted: "https://bot:***@git.example.org/acme/hosts.git",
            forLibgit2: "https://bot@git.example.org/acme/hosts.git"),
        Case(
            text: "http://[::1]:8080/r.git", scheme: "http", host: "::1", port: 8080,
            redacted: "http://[::1]:8080/r.git",
            forLibgit2: "http://[::1]:8080/r.git"),
    ])
    func urlsAreSplitIntoWhatTheAgentNeeds(_ example: Case) throws {
        let url = try #require(GitURL(example.text))
        #expect(url.scheme == example.scheme)
        #expect(url.host == example.host)
        #expect(url.effectivePort == example.port)
        #expect(url.redacted == example.redacted)
        #expect(url.withoutPassword == example.forLibgit2)
    }

    @Test func aPasswordInAURLIsDecodedForUseAndHiddenFromPeople() throws {
        let url = try #require(GitURL("https://bot:s3cr%40t@git.example.org/r.git"))
        #expect(url.password == "s3cr@t")
        #expect(!url.redacted.contains("s3cr"))
    }

    @Test func secretsAreScrubbedFromAnyMessage() {
        let message = "failed to fetch https://bot:hunter2@example.org/r.git: token hunter2 refused"
        let scrubbed = redactingSecrets(message, secrets: ["hunter2"])
        #expect(!scrubbed.contains("hunter2"))
        #expect(scrubbed == "failed to fetch https://bot:***@example.org/r.git: token *** refused")
        #expect(
            redactingURLPasswords("see ssh://git@host/x and https://u:p@h/y")
                == "see ssh://git@host/x and https://u:***@h/y")
    }
}

struct KnownHostsTests {
    static let key = "AAAAC3NzaC1lZDI1NTE5AAAAIOFakeKeyForTestsOnly0000000000000000000"
    static let other = "AAAAC3NzaC1lZDI1NTE5AAAAIAnotherFakeKeyForTestsOnly00000000000000"
    static let file = """
        # comment
        git.example.org,10.0.0.5 ssh-ed25519 \(key)
        [git.example.org]:2222 ssh-ed25519 \(other)
        |1|c2FsdA==|aGFzaA== ssh-ed25519 \(key)
        @revoked old.example.org ssh-ed25519 \(other)
        @cert-authority *.example.org ssh-ed25519 \(key)
        """

    @Test(arguments: [
        ("git.example.org", 22, key, KnownHosts.Verdict.trusted),
        ("10.0.0.5", 22, key, .trusted),
        ("git.example.org", 2222, other, .trusted),
        ("git.example.org", 2222, key, .mismatch(knownTypes: ["ssh-ed25519"])),
        ("git.example.org", 22, other, .mismatch(knownTypes: ["ssh-ed25519"])),
        ("10.0.0.5", 2222, key, .unknownHost(skippedHashedEntries: true)),
        ("old.example.org", 22, other, .revoked),
    ])
    func hostKeysAreCheckedLikeOpenSSHDoes(host: String, port: Int, key: String, verdict: KnownHosts.Verdict) {
        let knownHosts = KnownHosts(text: Self.file)
        #expect(knownHosts.verdict(host: host, port: port, keyType: "ssh-ed25519", key: key) == verdict)
    }

    @Test func aKeyOfAnotherTypeDoesNotMatch() {
        let knownHosts = KnownHosts(text: Self.file)
        #expect(
            knownHosts.verdict(host: "git.example.org", port: 22, keyType: "ecdsa-sha2-nistp256", key: Self.key)
                == .mismatch(knownTypes: ["ssh-ed25519"]))
    }
}
