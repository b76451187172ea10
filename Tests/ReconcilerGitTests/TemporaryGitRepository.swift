import Foundation
import ReconcilerTesting

/// A throw-away repository built with the git CLI, deleted when the value is released.
final class TemporaryGitRepository {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("reconciler-git-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `contents` to `file` (relative to the work tree) and commits it.
    @discardableResult
    func commit(
        file: String, contents: String, message: String,
        author: String = "Ada Operator <ada@example.org>", date: String = "2026-01-02T03:04:05+01:00"
    ) throws -> String {
        let url = URL(fileURLWithPath: path).appendingPathComponent(file)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        try git("add", file)
        try git("commit", "-q", "--author", author, "--date", date, "-m", message)
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        try git(arguments: arguments)
    }

    @discardableResult
    func git(arguments: [String]) throws -> String {
        let run = try ToolRun.run(
            "/usr/bin/git", ["-C", path] + arguments,
            environment: [
                "GIT_COMMITTER_NAME": "Test Committer", "GIT_COMMITTER_EMAIL": "committer@example.org",
                "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            ])
        guard run.status == 0 else {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "git \(arguments) in \(path) failed"])
        }
        return run.standardOutput
    }
}
