import Foundation
import ReconcilerCore
import ReconcilerTesting

/// Staging helpers for trees with every entry kind: executables, symlinks, gitlinks, odd names.
extension TemporaryGitRepository {
    /// Writes a file into the work tree and stages it.
    func stage(_ file: String, _ contents: String, executable: Bool = false) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: url.path)
        try git("add", file)
    }

    /// Creates a symlink in the work tree (mode 120000 in git) and stages it.
    func stageSymlink(_ file: String, to target: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(file)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
        try git("add", file)
    }

    /// Stages a gitlink (mode 160000), as a submodule has, without cloning anything.
    func stageGitlink(_ file: String, commit: String = "0123456789abcdef0123456789abcdef01234567") throws {
        try git("update-index", "--add", "--cacheinfo", "160000,\(commit),\(file)")
    }

    /// Commits what is staged and returns the commit id.
    @discardableResult
    func commitStaged(_ message: String) throws -> String {
        try git("commit", "-q", "--author", "Ada Operator <ada@example.org>", "-m", message)
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A commit whose root tree holds one file named `name` exactly, which `git add` would refuse
    /// (".git", ".."): built with mktree and commit-tree, as a hostile pusher could.
    func commitFileNamedVerbatim(_ name: String) throws -> String {
        let blob = try git("hash-object", "-w", "--", "\(path)/.git/HEAD").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let tree = try runTool(
            "/usr/bin/git", ["-C", path, "mktree"], input: "100644 blob \(blob)\t\(name)\n"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        // runTool, not git(): commit-tree takes the author from the environment only.
        return try runTool("/usr/bin/git", ["-C", path, "commit-tree", tree, "-m", "hostile name"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The work tree of a checkout read with lstat, as ReconcilerCLI's DirectoryTree does (that type is
/// internal to the CLI module): a reference to compare `GitTree` with.
struct CheckoutTree: RepositoryTree {
    struct Unreadable: Error {
        var path: String
    }

    let root: String

    func entry(at path: String) -> RepositoryEntry? {
        let components = path.split(separator: "/").filter { $0 != "." }
        guard !path.hasPrefix("/"), !components.contains("..") else { return nil }
        if components.isEmpty { return .directory }
        for end in 1..<components.count {
            guard case .directory? = kind(components[..<end].joined(separator: "/")) else { return nil }
        }
        return kind(components.joined(separator: "/"))
    }

    func children(of path: String) throws -> [String] {
        guard case .directory? = entry(at: path) else { throw Unreadable(path: path) }
        let names = try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(path)")
        let isRoot = path.split(separator: "/").allSatisfy { $0 == "." }
        return names.filter { !(isRoot && $0 == ".git") }.sorted()
    }

    func files(under path: String) throws -> [(path: String, id: String)] {
        try walkedFiles(under: path)
    }

    func contents(of path: String) throws -> [UInt8] {
        guard case .file? = entry(at: path), let data = FileManager.default.contents(atPath: "\(root)/\(path)") else {
            throw Unreadable(path: path)
        }
        return Array(data)
    }

    private func kind(_ relative: String) -> RepositoryEntry? {
        if relative == ".git" { return nil }
        let path = "\(root)/\(relative)"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?: return .file(size: (attributes[.size] as? Int) ?? 0)
        case .typeDirectory?: return FileManager.default.fileExists(atPath: "\(path)/.git") ? .submodule : .directory
        case .typeSymbolicLink?:
            return (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { .symlink(target: $0) }
        default: return nil
        }
    }
}

/// Runs a tool and returns its standard output; throws with its standard error when it fails.
@discardableResult
func runTool(
    _ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:]
) throws -> String {
    let defaults = [
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_COMMITTER_NAME": "Test Committer",
        "GIT_COMMITTER_EMAIL": "committer@example.org", "GIT_AUTHOR_NAME": "Ada Operator",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
    ]
    let run = try ToolRun.run(
        executable, arguments, environment: defaults.merging(environment) { _, new in new }, input: input)
    guard run.status == 0 else {
        throw CocoaError(
            .fileWriteUnknown,
            userInfo: [NSLocalizedDescriptionKey: "\(executable) \(arguments) failed: \(run.standardError)"])
    }
    return run.standardOutput
}
