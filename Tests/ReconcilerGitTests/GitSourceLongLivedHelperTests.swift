import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// The network helper stays up between requests, so an idle poll starts no process; one that
/// died is replaced on the next request.
struct GitSourceLongLivedHelperTests {
    @Test("Checking an unchanged remote again and again is answered by the same helper process")
    func idleChecksReuseTheHelper() throws {
        let fixture = try SourceFixture()
        let daemon = try GitDaemonServer(baseDirectory: fixture.serverBase)
        defer { daemon.stop() }
        let source = fixture.source(url: daemon.url(for: "repo"))
        let head = try source.update(lastAccepted: nil).commit.id
        let helper = try #require(helpers(of: fixture).first, "no helper is running after the first update")

        for _ in 0..<5 {
            #expect(try source.remoteHead() == head)
            #expect(try source.update(lastAccepted: head).fetched == false)
        }

        #expect(helpers(of: fixture) == [helper])
    }

    @Test("A helper killed between polls is replaced by a new one, and the next check succeeds")
    func killedHelperIsReplaced() throws {
        let fixture = try SourceFixture()
        let daemon = try GitDaemonServer(baseDirectory: fixture.serverBase)
        defer { daemon.stop() }
        let source = fixture.source(url: daemon.url(for: "repo"))
        let first = try source.update(lastAccepted: nil).commit.id
        let helper = try #require(helpers(of: fixture).first)
        kill(helper, SIGKILL)
        // Reaped by the source on its next request; wait for the kill to land.
        while (try? String(contentsOfFile: "/proc/\(helper)/stat", encoding: .utf8))?.contains(") Z") == false {
            usleep(10_000)
        }
        let second = try fixture.commitAndPublish("version: 2\n")

        let update = try source.update(lastAccepted: first)

        #expect(update.commit.id == second)
        let replacement = try #require(helpers(of: fixture).first)
        #expect(replacement != helper)
    }

    @Test("The URL's password reaches the helper over its socket, not in its environment or arguments")
    func passwordIsNotInTheHelpersEnvironment() throws {
        let fixture = try SourceFixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.serverBase, credentials: ("deploy", "s3cret-token"))
        defer { server.stop() }
        let url = server.url(for: "repo").replacing("http://", with: "http://deploy:s3cret-token@")
        let source = fixture.source(url: url, credentials: GitCredentials(allowInsecureHTTP: true))

        #expect(try source.update(lastAccepted: nil).commit.id == (try fixture.head))

        let helper = try #require(helpers(of: fixture).first)
        for file in ["environ", "cmdline"] {
            let contents = try #require(FileManager.default.contents(atPath: "/proc/\(helper)/\(file)"))
            #expect(contents.range(of: Data("s3cret-token".utf8)) == nil, "\(file)")
        }
    }

    /// The running `git-helper` children of this process that serve `fixture`'s state directory.
    private func helpers(of fixture: SourceFixture) -> [pid_t] {
        var found: [pid_t] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"),
                case let fields = stat[stat.index(after: close)...].split(separator: " "), fields.count > 2,
                fields[0] != "Z", Int32(fields[1]) == getpid(),
                let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                String(decoding: command, as: UTF8.self).contains("git-helper"),
                let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ"),
                environment.range(of: Data(fixture.stateDirectory.utf8)) != nil
            else { continue }
            found.append(pid)
        }
        return found
    }
}
