import Foundation
import Testing

/// The test servers work with the git CLI, so a failing libgit2 integration test points at the client,
/// not at its server. Every git run is isolated from the machine's config and has a hard timeout.
struct ServerSelfTests {
    @Test func gitDaemonListsRefsAndServesAClone() throws {
        let fixture = try Fixture()
        let server = try GitDaemonServer(baseDirectory: fixture.repositories.path)

        let listed = try fixture.git(["ls-remote", server.url(for: "repo")])

        #expect(listed.status == 0, "\(listed)\n\(server.log)")
        #expect(listed.stdout.contains("\(fixture.head)\trefs/heads/main"))
        try fixture.expectClone(of: server.url(for: "repo.git"))
    }

    @Test func sshServerLetsInItsClientKeyWhenTheClientKnowsItsHostKey() throws {
        let fixture = try Fixture()
        let server = try SSHServer(baseDirectory: fixture.repositories.path)
        let ssh = Fixture.sshCommand(key: server.clientPrivateKeyPath, knownHosts: server.knownHostsPath)

        let listed = try fixture.git(["ls-remote", server.url(for: "repo")], environment: ["GIT_SSH_COMMAND": ssh])

        #expect(listed.status == 0, "\(listed)\n\(server.log)")
        #expect(listed.stdout.contains("\(fixture.head)\trefs/heads/main"))
        #expect(
            server.url(for: "repo")
                == "ssh://\(server.userName)@127.0.0.1:\(server.port)\(fixture.repositories.path(of: "repo"))")
        try fixture.expectClone(of: server.url(for: "repo"), environment: ["GIT_SSH_COMMAND": ssh])
    }

    @Test func sshServerLetsInThePassphraseProtectedKeyWithItsPassphrase() throws {
        let fixture = try Fixture()
        let server = try SSHServer(baseDirectory: fixture.repositories.path)
        // ssh reads a passphrase only from a terminal or an askpass program; force the latter.
        try fixture.home.write("#!/bin/sh\necho '\(server.passphrase)'\n", to: "askpass", permissions: 0o755)
        let environment = [
            "GIT_SSH_COMMAND": Fixture.sshCommand(
                key: server.passphraseKeyPath, knownHosts: server.knownHostsPath, batchMode: false),
            "SSH_ASKPASS": fixture.home.file("askpass"), "SSH_ASKPASS_REQUIRE": "force",
        ]

        let listed = try fixture.git(["ls-remote", server.url(for: "repo")], environment: environment)

        #expect(listed.status == 0, "\(listed)\n\(server.log)")
        #expect(listed.stdout.contains("\(fixture.head)\trefs/heads/main"))
    }

    @Test func sshServerRefusesAKeyThatIsNotAuthorized() throws {
        let fixture = try Fixture()
        let server = try SSHServer(baseDirectory: fixture.repositories.path)
        let ssh = Fixture.sshCommand(key: server.unauthorizedPrivateKeyPath, knownHosts: server.knownHostsPath)

        let listed = try fixture.git(["ls-remote", server.url(for: "repo")], environment: ["GIT_SSH_COMMAND": ssh])

        #expect(listed.status == 128, "\(listed)")
        #expect(listed.stderr.contains("Permission denied (publickey)"), "\(listed)")
    }

    @Test func sshClientRefusesTheServerWhenKnownHostsHoldsAnotherKey() throws {
        let fixture = try Fixture()
        let server = try SSHServer(baseDirectory: fixture.repositories.path)
        let ssh = Fixture.sshCommand(key: server.clientPrivateKeyPath, knownHosts: server.wrongKnownHostsPath)

        let listed = try fixture.git(["ls-remote", server.url(for: "repo")], environment: ["GIT_SSH_COMMAND": ssh])

        #expect(listed.status == 128, "\(listed)")
        #expect(listed.stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), "\(listed)")
        #expect(!server.log.contains("Accepted publickey"), "the host check comes before authentication")
    }

    @Test func httpServerListsRefsServesACloneAndLogsEveryRequest() throws {
        let fixture = try Fixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.repositories.path)

        let listed = try fixture.git(["ls-remote", server.url(for: "repo")])

        #expect(listed.status == 0, "\(listed)\n\(server.log)")
        #expect(listed.stdout.contains("\(fixture.head)\trefs/heads/main"))
        #expect(
            server.requests.first
                == .init(method: "GET", path: "/repo.git/info/refs?service=git-upload-pack", status: 200))
        let postsBeforeClone = server.uploadPackPostCount
        try fixture.expectClone(of: server.url(for: "repo"))
        #expect(server.uploadPackPostCount > postsBeforeClone, "\(server.requests)")
    }

    @Test func httpServerTakesGzippedAndChunkedRequestBodies() throws {
        let fixture = try Fixture()
        try fixture.addRepository("many", branches: 1500)
        let server = try SmartHTTPServer(baseDirectory: fixture.repositories.path)

        // git gzips a request body over 1 KB that fits in http.postBuffer and streams a larger one
        // chunked; 1500 wants make about 75 KB.
        let gzipped = try fixture.git(["clone", "--bare", server.url(for: "many"), fixture.home.file("gzipped")])
        let chunked = try fixture.git(
            ["-c", "http.postBuffer=65536", "clone", "--bare", server.url(for: "many"), fixture.home.file("chunked")])

        #expect(gzipped.status == 0, "\(gzipped)\n\(server.log)")
        #expect(chunked.status == 0, "\(chunked)\n\(server.log)")
        let encodings = server.requests.filter { $0.method == "POST" }.map(\.bodyEncodings)
        #expect(encodings.contains(["gzip"]) && encodings.contains(["chunked"]), "\(server.requests)")
        let branches = try fixture.git(["-C", fixture.home.file("chunked"), "for-each-ref", "refs/heads"])
        #expect(branches.stdout.split(separator: "\n").count == 1500)
    }

    @Test func httpServerWithCredentialsAnswers401WithAnEmptyBodyWithoutThem() throws {
        let fixture = try Fixture()
        let server = try SmartHTTPServer(
            baseDirectory: fixture.repositories.path, credentials: (user: "ada", password: "s3cret token"))
        let infoRefs = server.url(for: "repo") + "/info/refs?service=git-upload-pack"

        let curl = try ServerTool.run(
            "/usr/bin/curl", ["--silent", "--include", "--noproxy", "*", infoRefs], environment: fixture.environment,
            timeout: 10)
        let listed = try fixture.git(["ls-remote", server.url(for: "repo")])

        #expect(curl.stdout.hasPrefix("HTTP/1.1 401"), "\(curl)")
        #expect(curl.stdout.contains("WWW-Authenticate: Basic realm=\"git\"\r\n"), "\(curl)")
        #expect(curl.stdout.contains("Content-Length: 0\r\n"), "\(curl)")
        #expect(curl.stdout.hasSuffix("\r\n\r\n"), "no body after the headers: \(curl)")
        #expect(listed.status == 128, "\(listed)")
        #expect(server.requests.allSatisfy { $0.status == 401 }, "\(server.requests)")
    }

    @Test func httpServerWithCredentialsServesThemInAHeaderOrInTheURL() throws {
        let fixture = try Fixture()
        let server = try SmartHTTPServer(
            baseDirectory: fixture.repositories.path, credentials: (user: "ada", password: "s3cret token"))
        let header = try #require(server.authorizationHeader)

        let viaHeader = try fixture.git(["-c", "http.extraHeader=\(header)", "ls-remote", server.url(for: "repo")])
        let viaURL = try fixture.git(["ls-remote", server.url(for: "repo", includingCredentials: true)])

        #expect(viaHeader.status == 0, "\(viaHeader)\n\(server.log)")
        #expect(viaHeader.stdout.contains("\(fixture.head)\trefs/heads/main"))
        #expect(viaURL.status == 0, "\(viaURL)\n\(server.log)")
        #expect(server.url(for: "repo", includingCredentials: true).contains("ada:s3cret%20token@127.0.0.1"))
    }

    @Test func httpsServerIsTrustedThroughItsCAForLocalhostOnly() throws {
        let fixture = try Fixture()
        let server = try SmartHTTPServer(
            baseDirectory: fixture.repositories.path, tls: true, credentials: (user: "ada", password: "pw"))
        let header = try #require(server.authorizationHeader)
        let ca = try #require(server.caCertificatePath)
        let trustingTheCA = ["GIT_SSL_CAINFO": ca]
        let byAddress = "https://127.0.0.1:\(server.port)/repo.git"

        let listed = try fixture.git(
            ["-c", "http.extraHeader=\(header)", "ls-remote", server.url(for: "repo")], environment: trustingTheCA)
        let untrusted = try fixture.git(
            ["ls-remote", server.url(for: "repo")],
            environment: ["GIT_SSL_CAINFO": "/etc/ssl/certs/ca-certificates.crt"])
        let wrongName = try fixture.git(["ls-remote", byAddress], environment: trustingTheCA)

        #expect(server.url(for: "repo") == "https://localhost:\(server.port)/repo.git")
        #expect(listed.status == 0, "\(listed)\n\(server.log)")
        #expect(listed.stdout.contains("\(fixture.head)\trefs/heads/main"))
        #expect(untrusted.status == 128 && untrusted.stderr.contains("certificate"), "\(untrusted)")
        #expect(wrongName.status == 128 && wrongName.stderr.contains("127.0.0.1"), "\(wrongName)")
        try fixture.expectClone(
            of: server.url(for: "repo"), options: ["-c", "http.extraHeader=\(header)"], environment: trustingTheCA)
    }

    @Test func silentServerKeepsAClientWaitingUntilItsTimeout() throws {
        let fixture = try Fixture()
        let server = try SilentServer()

        let listed = try fixture.git(["ls-remote", server.url(scheme: "git", repository: "x")], timeout: 3)

        #expect(listed.status == 124, "killed by timeout(1): \(listed)")
        #expect(listed.seconds >= 2.9)
    }

    @Test func closedPortRefusesAClientAtOnce() throws {
        let fixture = try Fixture()
        let port = try ClosedPort()

        let listed = try fixture.git(["ls-remote", port.url(scheme: "git")], timeout: 10)

        #expect(listed.status == 128, "\(listed)")
        #expect(listed.stderr.contains("Connection refused"), "\(listed)")
        #expect(listed.seconds < 5)
    }

    @Test func aServerThatExitsOrNeverListensFailsWithItsLog() throws {
        let directory = try ServerDirectory("failing")

        let exited = #expect(throws: ServerError.self) {
            _ = try ServerProcess.start(name: "crasher", in: directory) { _ in
                ("/bin/sh", ["-c", "echo no config here; exit 3"])
            }
        }
        let deaf = #expect(throws: ServerError.self) {
            _ = try ServerProcess.start(name: "sleeper", in: directory, timeout: 0.5) { _ in
                ("/bin/sh", ["-c", "echo warming up; exec sleep 30"])
            }
        }

        #expect(exited?.description.contains("exited before accepting connections") == true)
        #expect(exited?.description.contains("no config here") == true)
        #expect(deaf?.description.contains("did not accept connections") == true)
        #expect(deaf?.description.contains("warming up") == true)
    }

    @Test func stoppedServersFreeTheirPortsAndFiles() throws {
        let fixture = try Fixture()
        let daemon = try GitDaemonServer(baseDirectory: fixture.repositories.path)
        let ssh = try SSHServer(baseDirectory: fixture.repositories.path)
        let http = try SmartHTTPServer(baseDirectory: fixture.repositories.path, tls: true)
        let silent = try SilentServer()
        let ports = [daemon.port, ssh.port, http.port, silent.port]
        #expect(ports.allSatisfy(LoopbackSocket.accepts(port:)))

        daemon.stop()
        ssh.stop()
        http.stop()
        silent.stop()

        #expect(!ports.contains(where: LoopbackSocket.accepts(port:)), "\(ports)")
        #expect(!FileManager.default.fileExists(atPath: ssh.clientPrivateKeyPath))
        #expect(!FileManager.default.fileExists(atPath: http.caCertificatePath ?? ""))
        #expect(FileManager.default.fileExists(atPath: fixture.repositories.path(of: "repo")))
    }
}

/// A source repository with one commit, a bare clone of it as `repo.git`, and a git CLI with an
/// empty HOME of its own.
private struct Fixture {
    let source: TemporaryGitRepository
    let head: String
    let repositories: BareRepositories
    let home: ServerDirectory

    init() throws {
        source = try TemporaryGitRepository()
        head = try source.commit(file: "desired-state/app.yaml", contents: "replicas: 2\n", message: "First")
        repositories = try BareRepositories()
        try repositories.addClone(of: source, as: "repo")
        home = try ServerDirectory("git-home")
    }

    /// Adds bare repository `name` with `branches` branches, each on a commit of its own, made by one
    /// `git fast-import` (a commit-per-process loop would take seconds).
    func addRepository(_ name: String, branches: Int) throws {
        let path = try repositories.addEmpty(name)
        var stream = ""
        for index in 0..<branches {
            let message = "commit \(index)"
            stream += "commit refs/heads/b\(index)\ncommitter T <t@example.org> 1700000000 +0000\n"
            stream += "data \(message.utf8.count)\n\(message)\n"
        }
        try home.write(stream, to: "\(name).fast-import")
        let script = "git -C \"$1\" fast-import --quiet < \"$2\" && git -C \"$1\" symbolic-ref HEAD refs/heads/b0"
        let imported = try ServerTool.run(
            "/bin/sh", ["-c", script, "sh", path, home.file("\(name).fast-import")], environment: environment)
        #expect(imported.status == 0, "\(imported)")
    }

    /// The runner's environment minus anything that could make git prompt, use a proxy, or read the
    /// machine's config and credentials.
    var environment: [String: String] {
        var environment = ServerTool.isolatedGitEnvironment
        for name in ["SSH_ASKPASS", "GIT_ASKPASS", "SSH_AUTH_SOCK", "GIT_SSH_COMMAND", "GIT_SSL_CAINFO"] {
            environment[name] = nil
        }
        for name in ["http_proxy", "https_proxy", "all_proxy"] {
            environment[name] = nil
            environment[name.uppercased()] = nil
        }
        environment["HOME"] = home.path
        environment["GIT_TERMINAL_PROMPT"] = "0"
        return environment
    }

    /// Runs git, killed after `timeout` seconds (exit status 124).
    func git(_ arguments: [String], environment extra: [String: String] = [:], timeout: Int = 20) throws
        -> ToolResult
    {
        try ServerTool.run(
            "/usr/bin/git", arguments, environment: environment.merging(extra) { $1 }, timeout: timeout)
    }

    /// Clones `url` and expects the clone to hold the source's commit and file.
    func expectClone(
        of url: String, options: [String] = [], environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let destination = home.file("clone-\(UUID().uuidString)")
        let cloned = try git(options + ["clone", "--quiet", url, destination], environment: environment)
        #expect(cloned.status == 0, "\(cloned)", sourceLocation: sourceLocation)
        let checkedOut = try git(["-C", destination, "rev-parse", "HEAD"])
        #expect(checkedOut.stdout == head + "\n", "\(checkedOut)", sourceLocation: sourceLocation)
        let file = try? String(contentsOfFile: destination + "/desired-state/app.yaml", encoding: .utf8)
        #expect(file == "replicas: 2\n", sourceLocation: sourceLocation)
    }

    /// ssh trusting only `knownHosts` and offering only `key`; the machine's ssh config is ignored.
    static func sshCommand(key: String, knownHosts: String, batchMode: Bool = true) -> String {
        "ssh -F /dev/null -i \(key) -o IdentitiesOnly=yes -o UserKnownHostsFile=\(knownHosts)"
            + " -o StrictHostKeyChecking=yes -o BatchMode=\(batchMode ? "yes" : "no")"
    }
}
