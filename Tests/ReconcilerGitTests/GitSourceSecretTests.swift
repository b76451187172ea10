import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// Secrets stay off the disk and off plain HTTP: a password in the URL never lands in a file
/// (a helper or agent killed mid-operation leaves no file to clean up), and a password or
/// token is sent over `http://` only when the configuration says so.
struct GitSourceSecretTests {
    @Test(
        "No file under the state directory or /tmp holds the URL's password while the helper runs, or after it is killed"
    )
    func killedHelperLeavesNoSecretOnDisk() throws {
        let fixture = try SourceFixture()
        let server = try SilentServer()
        defer { server.stop() }
        let secret = "pw-\(UUID().uuidString)"
        let url = server.url(scheme: "http").replacing("http://", with: "http://deploy:\(secret)@")
        let source = fixture.source(
            url: url, credentials: GitCredentials(allowInsecureHTTP: true), timeout: 30)
        let started = Date()
        let outcome = BackgroundUpdate(source)

        let helper = try #require(
            waitForChild(named: "git-helper", environmentHolding: fixture.stateDirectory, within: 10))
        #expect(filesHolding(secret, under: [fixture.stateDirectory, NSTemporaryDirectory()], since: started) == [])
        kill(helper, SIGKILL)
        let error = outcome.wait()

        #expect(error?.kind == .helperFailed, "\(error?.message ?? "no error")")
        #expect(error?.message.contains(secret) == false)
        #expect(filesHolding(secret, under: [fixture.stateDirectory, NSTemporaryDirectory()], since: started) == [])
    }

    @Test("A password over plain http:// is refused unless allowInsecureHTTP is set", arguments: [false, true])
    func passwordOverPlainHTTP(allowed: Bool) throws {
        let fixture = try SourceFixture()
        let server = try SmartHTTPServer(baseDirectory: fixture.serverBase, credentials: ("deploy", "right-token"))
        defer { server.stop() }
        let passwordFile = fixture.stateDirectory + "/token"
        try "right-token\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let source = fixture.source(
            url: server.url(for: "repo"),
            credentials: GitCredentials(username: "deploy", passwordFile: passwordFile, allowInsecureHTTP: allowed))

        if allowed {
            #expect(try source.update(lastAccepted: nil).commit.id == (try fixture.head))
        } else {
            let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: nil) }
            #expect(error?.kind == .configuration)
            #expect(error?.message.contains("plain http://") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("allowInsecureHTTP: true") == true)
            #expect(error?.message.contains("right-token") == false)
        }
    }
}

/// `update` on another thread, so the test can act while the helper runs.
private final class BackgroundUpdate: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written by the thread before `done` is signalled, read after.
    private var error: SourceError?

    init(_ source: GitSource) {
        nonisolated(unsafe) let source = source
        Thread.detachNewThread {
            do {
                _ = try source.update(lastAccepted: nil)
            } catch {
                self.error = error as? SourceError
            }
            self.done.signal()
        }
    }

    func wait() -> SourceError? {
        done.wait()
        return error
    }
}

/// The pid of a child of this process whose command line contains `name` and whose
/// environment contains `marker` (tests run in parallel: other tests' helpers are children too).
func waitForChild(named name: String, environmentHolding marker: String, within seconds: Double) -> pid_t? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"),
                case let fields = stat[stat.index(after: close)...].split(separator: " "), fields.count > 2,
                Int32(fields[1]) == getpid(),
                let command = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                String(decoding: command, as: UTF8.self).contains(name),
                let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ"),
                environment.range(of: Data(marker.utf8)) != nil
            else { continue }
            return pid
        }
        usleep(20_000)
    }
    return nil
}

/// Regular files under `roots` changed since `since` whose bytes contain `secret`.
func filesHolding(_ secret: String, under roots: [String], since: Date) -> [String] {
    let manager = FileManager.default
    var found: [String] = []
    for root in roots {
        guard let walker = manager.enumerator(atPath: root) else { continue }
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular,
                (attributes[.modificationDate] as? Date ?? .distantPast) >= since.addingTimeInterval(-1),
                (attributes[.size] as? Int ?? 0) < 1 << 20,
                let data = manager.contents(atPath: path)
            else { continue }
            if data.range(of: Data(secret.utf8)) != nil { found.append(path) }
        }
    }
    return found
}
