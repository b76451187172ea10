import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// Faults of the network and the server: each is a clear, classified error, nothing is
/// half-applied, and no secret ever appears in a message.
struct GitSourceFaultTests {
    @Test(arguments: ["git", "http", "ssh"])
    func aServerThatAcceptsAndStaysSilentTimesOut(scheme: String) throws {
        let fixture = try SourceFixture()
        let server = try SilentServer()
        defer { server.stop() }
        let source = fixture.source(url: server.url(scheme: scheme), timeout: 1.5)

        let started = Date()
        let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: nil) }
        let elapsed = Date().timeIntervalSince(started)

        #expect(error?.kind == .timedOut)
        #expect(error?.message.contains("no progress for 1.5 s") == true)
        #expect(error?.isRetryable == true)
        #expect(elapsed < 10)
    }

    @Test func aKilledFetchLeavesAMirrorTheNextFetchCanUse() throws {
        let fixture = try SourceFixture()
        let server = try SilentServer()
        defer { server.stop() }
        let silent = fixture.source(url: server.url(scheme: "git"), timeout: 1)
        _ = #expect(throws: SourceError.self) { try silent.update(lastAccepted: nil) }

        let update = try fixture.source().update(lastAccepted: nil)

        #expect(update.commit.id == (try fixture.head))
    }

    @Test(arguments: ["git", "http"])
    func aClosedPortIsUnreachable(scheme: String) throws {
        let fixture = try SourceFixture()
        let port = try ClosedPort()
        let url = "\(scheme)://127.0.0.1:\(port.port)/repo.git"

        let error = #expect(throws: SourceError.self) { try fixture.source(url: url).update(lastAccepted: nil) }

        #expect(error?.kind == .unreachable)
        #expect(error?.message.contains("127.0.0.1:\(port.port)") == true)
    }

    @Test func anUnknownHostNameIsUnreachable() throws {
        let fixture = try SourceFixture()
        let error = #expect(throws: SourceError.self) {
            try fixture.source(url: "git://no-such-host.invalid/repo.git", timeout: 10).update(lastAccepted: nil)
        }
        #expect(error?.kind == .unreachable || error?.kind == .timedOut)
        #expect(error?.message.contains("no-such-host.invalid") == true)
    }

    @Test func aMissingLocalRepositoryIsUnreachable() throws {
        let fixture = try SourceFixture()
        let error = #expect(throws: SourceError.self) {
            try fixture.source(url: "/nonexistent/repo.git").update(lastAccepted: nil)
        }
        #expect(error?.kind == .unreachable)
        #expect(error?.message.contains("there is no repository at /nonexistent/repo.git") == true)
    }

    @Test func aWrongHTTPPasswordIsRefusedNamingTheFileNotItsContent() throws {
        let fixture = try SourceFixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.serverBase, credentials: ("deploy", "right-token"))
        defer { server.stop() }
        let passwordFile = fixture.stateDirectory + "/token"
        try "wrong-token-value\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let source = fixture.source(
            url: server.url(for: "repo"),
            credentials: GitCredentials(username: "deploy", passwordFile: passwordFile, allowInsecureHTTP: true))

        let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: nil) }

        #expect(error?.kind == .authentication)
        #expect(error?.message.contains(passwordFile) == true)
        #expect(error?.message.contains("wrong-token-value") == false)
    }

    @Test func httpWithoutCredentialsSaysNoneAreConfigured() throws {
        let fixture = try SourceFixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.serverBase, credentials: ("deploy", "right-token"))
        defer { server.stop() }

        let error = #expect(throws: SourceError.self) {
            try fixture.source(url: server.url(for: "repo")).update(lastAccepted: nil)
        }

        #expect(error?.kind == .authentication)
        #expect(error?.message.contains("no passwordFile is configured") == true)
    }

    @Test func aPasswordInTheURLWorksAndIsNeverShown() throws {
        let fixture = try SourceFixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.serverBase, credentials: ("deploy", "url-secret"))
        defer { server.stop() }
        let url = server.url(for: "repo", includingCredentials: true)
        let insecure = GitCredentials(allowInsecureHTTP: true)

        let update = try fixture.source(url: url, credentials: insecure).update(lastAccepted: nil)
        #expect(update.commit.id == (try fixture.head))

        server.stop()
        let error = #expect(throws: SourceError.self) {
            try fixture.source(url: url, credentials: insecure).update(lastAccepted: nil)
        }
        #expect(error?.message.contains("url-secret") == false)
        #expect(error?.message.contains("deploy:***@") == true)
    }

    @Test func anSSHKeyTheServerDoesNotAcceptIsRefusedNamingTheKeyFile() throws {
        let fixture = try SourceFixture()
        let server = try SSHServer(baseDirectory: fixture.serverBase)
        defer { server.stop() }
        let credentials = GitCredentials(
            sshKeyFile: server.unauthorizedPrivateKeyPath, knownHostsFile: server.knownHostsPath)

        let error = #expect(throws: SourceError.self) {
            try fixture.source(url: server.url(for: "repo"), credentials: credentials).update(lastAccepted: nil)
        }

        #expect(error?.kind == .authentication)
        #expect(error?.message.contains(server.unauthorizedPrivateKeyPath) == true)
        let key = try String(contentsOfFile: server.unauthorizedPrivateKeyPath, encoding: .utf8)
        let keyBody = key.split(separator: "\n").dropFirst().first.map(String.init) ?? "unreachable"
        #expect(error?.message.contains(keyBody) == false)
    }

    @Test func anSSHHostKeyThatDoesNotMatchIsRefusedBeforeAuthenticating() throws {
        let fixture = try SourceFixture()
        let server = try SSHServer(baseDirectory: fixture.serverBase)
        defer { server.stop() }
        let credentials = GitCredentials(
            sshKeyFile: server.clientPrivateKeyPath, knownHostsFile: server.wrongKnownHostsPath)

        let error = #expect(throws: SourceError.self) {
            try fixture.source(url: server.url(for: "repo"), credentials: credentials).update(lastAccepted: nil)
        }

        #expect(error?.kind == .certificate)
        #expect(error?.message.contains("HOST KEY MISMATCH for [127.0.0.1]:\(server.port)") == true)
        #expect(!server.log.contains("Accepted publickey"))
    }

    @Test func sshWithoutAKnownHostsFileIsRefusedWithTheCommandToFixIt() throws {
        let fixture = try SourceFixture()
        let server = try SSHServer(baseDirectory: fixture.serverBase)
        defer { server.stop() }

        let error = #expect(throws: SourceError.self) {
            try fixture.source(
                url: server.url(for: "repo"), credentials: GitCredentials(sshKeyFile: server.clientPrivateKeyPath)
            ).update(lastAccepted: nil)
        }

        #expect(error?.kind == .certificate)
        #expect(error?.message.contains("ssh-keyscan -p \(server.port) 127.0.0.1") == true)
    }

    @Test func httpsWithAnUntrustedCertificateIsRefused() throws {
        let fixture = try SourceFixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.serverBase, tls: true)
        defer { server.stop() }

        let error = #expect(throws: SourceError.self) {
            try fixture.source(url: server.url(for: "repo")).update(lastAccepted: nil)
        }

        #expect(error?.kind == .certificate)
    }
}
