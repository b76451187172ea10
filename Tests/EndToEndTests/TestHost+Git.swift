import Foundation

extension TestHost {
    /// A host booted from the clean image: nothing left from an earlier test or run.
    static func bootFresh(_ name: String) throws -> TestHost {
        try Testbed.requireAvailable()
        try Testbed.run(["stop", name])
        return try boot(name)
    }

    /// Makes `work` (already filled with files) a git repository with one commit, and
    /// publishes it as the bare repository `remote`, the agent's source.
    func initRepository(work: String, remote: String) throws {
        try git(work, "init", "-q", "-b", "main")
        try commitAll(work: work, remote: nil, message: "Initial desired state")
        try mustExec("rm", "-rf", remote)
        try mustExec("git", "clone", "-q", "--bare", work, remote)
    }

    /// Commits every change in `work` and pushes it to `remote`; returns the new commit id.
    @discardableResult
    func commitAll(work: String, remote: String?, message: String) throws -> String {
        try git(work, "add", "-A")
        try git(work, "commit", "-q", "--allow-empty", "-m", message)
        if let remote { try git(work, "push", "-q", "--force", remote, "main") }
        return try git(work, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func git(_ work: String, _ arguments: String...) throws -> String {
        try mustExec(
            [
                "env", "GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.org", "GIT_COMMITTER_NAME=Ada",
                "GIT_COMMITTER_EMAIL=ada@example.org", "git", "-C", work,
            ] + arguments)
    }

    /// Writes a text file inside the host.
    func writeFile(_ path: String, _ text: String) throws {
        let local = FileManager.default.temporaryDirectory.appendingPathComponent("file-\(UUID().uuidString)")
        try text.write(to: local, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: local) }
        try mustExec("mkdir", "-p", (path as NSString).deletingLastPathComponent)
        try copy(local.path, to: path)
    }

    /// `reconciler once` with the host's config; the result whatever its exit status.
    func once(_ extra: String..., timeout: TimeInterval = 900) throws -> CommandResult {
        try Testbed.run(["exec", name, "reconciler", "once", "--log-target", "journal"] + extra, timeout: timeout)
    }

    func diff(_ extra: String...) throws -> CommandResult {
        try Testbed.run(["exec", name, "reconciler", "diff", "--log-target", "stderr"] + extra, timeout: 300)
    }

    /// When the container started, as podman reports it: unchanged means not restarted.
    func containerStartedAt(_ name: String) throws -> String {
        try mustExec("podman", "container", "inspect", "--format", "{{.State.StartedAt}}", name).trimmed
    }
}
