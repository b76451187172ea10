import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// Every transport, against a real server on 127.0.0.1 started by the test: the cheap check
/// and the fetch work, and the credentials and host checks are enforced.
struct GitSourceTransportTests {
    @Test func gitDaemon() throws {
        let fixture = try SourceFixture()
        let server = try GitDaemonServer(baseDirectory: fixture.serverBase)
        defer { server.stop() }

        try expectFollowsCommits(fixture, fixture.source(url: server.url(for: "repo")))
    }

    @Test func sshWithAKeyFileAndAKnownHostsFile() throws {
        let fixture = try SourceFixture()
        let server = try SSHServer(baseDirectory: fixture.serverBase)
        defer { server.stop() }
        let credentials = GitCredentials(sshKeyFile: server.clientPrivateKeyPath, knownHostsFile: server.knownHostsPath)

        try expectFollowsCommits(fixture, fixture.source(url: server.url(for: "repo"), credentials: credentials))
    }

    @Test func sshWithAPassphraseProtectedKey() throws {
        let fixture = try SourceFixture()
        let server = try SSHServer(baseDirectory: fixture.serverBase)
        defer { server.stop() }
        let passphraseFile = fixture.stateDirectory + "/passphrase"
        try (server.passphrase + "\n").write(toFile: passphraseFile, atomically: true, encoding: .utf8)
        let credentials = GitCredentials(
            sshKeyFile: server.passphraseKeyPath, sshKeyPassphraseFile: passphraseFile,
            knownHostsFile: server.knownHostsPath)

        let update = try fixture.source(url: server.url(for: "repo"), credentials: credentials).update(
            lastAccepted: nil)

        #expect(update.commit.id == (try fixture.head))
    }

    @Test func httpWithAPasswordFile() throws {
        let fixture = try SourceFixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.serverBase, credentials: ("deploy", "s3cret-token"))
        defer { server.stop() }
        let passwordFile = fixture.stateDirectory + "/token"
        try "s3cret-token\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let credentials = GitCredentials(username: "deploy", passwordFile: passwordFile, allowInsecureHTTP: true)

        try expectFollowsCommits(fixture, fixture.source(url: server.url(for: "repo"), credentials: credentials))
        // The credentials went with the first request: no request was answered 401.
        #expect(!server.requests.contains { $0.status == 401 })
    }

    @Test func httpsWithAPrivateCertificateAuthority() throws {
        let fixture = try SourceFixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.serverBase, tls: true)
        defer { server.stop() }
        let credentials = GitCredentials(caFile: server.caCertificatePath)

        try expectFollowsCommits(fixture, fixture.source(url: server.url(for: "repo"), credentials: credentials))
    }

    @Test func theCheapCheckDownloadsNoObjects() throws {
        let fixture = try SourceFixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.serverBase)
        defer { server.stop() }
        let source = fixture.source(url: server.url(for: "repo"))
        let first = try source.update(lastAccepted: nil)
        let packRequests = server.uploadPackPostCount

        for _ in 0..<3 { _ = try source.update(lastAccepted: first.commit.id) }

        // Listing references is a GET of info/refs; objects come only with POST git-upload-pack.
        #expect(server.uploadPackPostCount == packRequests)
        #expect(packRequests >= 1)
    }

    /// First update clones; a new upstream commit is found by the cheap check and fetched.
    private func expectFollowsCommits(_ fixture: SourceFixture, _ source: GitSource) throws {
        let first = try source.update(lastAccepted: nil)
        #expect(first.commit.id == (try fixture.head))
        let unchanged = try source.update(lastAccepted: first.commit.id)
        #expect(!unchanged.fetched)
        let next = try fixture.commitAndPublish("version: 2\n")
        #expect(try source.remoteHead() == next)
        let second = try source.update(lastAccepted: first.commit.id)
        #expect(second.commit.id == next)
        #expect(second.change == .fastForward(from: first.commit.id))
    }
}
