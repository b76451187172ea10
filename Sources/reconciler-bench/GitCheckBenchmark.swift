import Foundation
import ReconcilerCore
import ReconcilerGit
import ReconcilerPOSIX

/// The cost of "has the remote moved?" when it has not: the agent's check (list the remote
/// in the helper process, compare with the mirror) next to `git ls-remote` and a no-op
/// `git fetch` on the same repository, in one run.
struct GitCheckBenchmark {
    var iterations: Int

    func run() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let work = root + "/work"
        let bare = root + "/remote.git"
        let clone = root + "/clone"
        try FileManager.default.createDirectory(atPath: work + "/desired-state", withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main", work])
        // A desired state of a realistic size: 10 services, a few commits.
        for round in 1...5 {
            for service in 1...10 {
                try "name: svc\(service)\nround: \(round)\n".write(
                    toFile: work + "/desired-state/svc\(service).yaml", atomically: true, encoding: .utf8)
            }
            try git(["-C", work, "add", "-A"])
            try git(["-C", work, "commit", "-q", "-m", "round \(round)"])
        }
        try git(["clone", "-q", "--bare", work, bare])
        try git(["clone", "-q", bare, clone])

        let launcher = RemoteHelperLauncher(executable: helperExecutable(), arguments: ["git-helper"])
        let source = GitSource(
            configuration: GitSourceConfiguration(url: bare, stateDirectory: root + "/state"), launcher: launcher)
        let accepted = try source.update(lastAccepted: nil).commit.id
        let request = RemoteRequest(operation: .listReferences, url: bare)

        let rows = try [
            Measurement.run("git ls-remote", iterations: iterations) {
                try git(["ls-remote", bare, "refs/heads/main"])
            },
            Measurement.run("git fetch (no-op)", iterations: iterations) {
                try git(["-C", clone, "fetch", "-q", "origin"])
            },
            Measurement.run("reconciler check (in process)", iterations: iterations) {
                let head = try source.remoteHead()
                precondition(source.mirrorIsCurrent(remoteHead: head) && head == accepted)
            },
            Measurement.run("reconciler update, unchanged", iterations: iterations) {
                let update = try source.update(lastAccepted: accepted)
                precondition(!update.fetched)
            },
            Measurement.run("libgit2 ls in process (no deadline)", iterations: iterations) {
                precondition(RemoteHelper.perform(request).failure == nil)
            },
        ]
        printTable(
            "Unchanged-remote check, local bare repository, \(iterations) runs each", rows, baseline: "git ls-remote")
        try runOverGitDaemon(root: root, bare: bare, launcher: launcher)
    }

    /// The same check over git://, where the agent lists the remote in its long-lived helper.
    private func runOverGitDaemon(root: String, bare: String, launcher: RemoteHelperLauncher) throws {
        let port = 20_000 + Int(getpid() % 20_000)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        daemon.arguments = [
            "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)", "--export-all",
            "--base-path=\(root)", root,
        ]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer {
            daemon.terminate()
            kill(daemon.processIdentifier, SIGKILL)
        }
        let url = "git://127.0.0.1:\(port)/remote.git"
        let source = GitSource(
            configuration: GitSourceConfiguration(url: url, stateDirectory: root + "/state-daemon"), launcher: launcher)
        var accepted = ""
        for _ in 0..<50 {
            if let update = try? source.update(lastAccepted: nil) {
                accepted = update.commit.id
                break
            }
            usleep(100_000)
        }
        // The check as it was before the helper stayed up: one `git-helper` process per poll.
        let requestFile = root + "/list-request.json"
        try JSONEncoder().encode(RemoteRequest(operation: .listReferences, url: url)).write(
            to: URL(fileURLWithPath: requestFile))
        let rows = try [
            Measurement.run("git ls-remote", iterations: iterations) {
                try git(["ls-remote", url, "refs/heads/main"])
            },
            Measurement.run("reconciler check (long-lived helper)", iterations: iterations) {
                let head = try source.remoteHead()
                precondition(head == accepted)
            },
            Measurement.run("one helper process per check (before)", iterations: iterations) {
                let ended = try ChildProcess.run(
                    launcher.executable, launcher.arguments, environment: ["HOME": root, "LANG": "C.UTF-8"],
                    standardInput: requestFile, standardOutput: "/dev/null", standardError: nil, timeout: 60)
                precondition(ended == .exited(0))
            },
        ]
        printTable("Unchanged-remote check over git:// (git daemon on 127.0.0.1)", rows, baseline: "git ls-remote")
    }

    private func helperExecutable() -> String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return (own as NSString).deletingLastPathComponent + "/reconciler"
    }
}

@discardableResult
func git(_ arguments: [String]) throws -> Int32 {
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
    environment["GIT_AUTHOR_NAME"] = "Bench"
    environment["GIT_AUTHOR_EMAIL"] = "bench@example.org"
    environment["GIT_COMMITTER_NAME"] = "Bench"
    environment["GIT_COMMITTER_EMAIL"] = "bench@example.org"
    let status = try runToCompletion("/usr/bin/git", arguments, environment: environment)
    guard status == 0 else {
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "git \(arguments) failed"])
    }
    return status
}
