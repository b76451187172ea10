import Foundation
import ReconcilerCore
import ReconcilerGit

/// A git source under test: an upstream work repository made with the git CLI, a bare
/// copy that servers publish, and a fresh state directory for the agent's mirror.
final class SourceFixture {
    let upstream: TemporaryGitRepository
    /// Holds `repo.git`, the bare repository the tests serve and fetch from.
    let serverBase: String
    var bare: String { serverBase + "/repo.git" }
    let stateDirectory: String

    init() throws {
        upstream = try TemporaryGitRepository()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-source-\(UUID())").path
        serverBase = root + "/served"
        stateDirectory = root + "/state"
        try FileManager.default.createDirectory(atPath: serverBase, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        try upstream.commit(file: "desired-state/app.yaml", contents: "version: 1\n", message: "First")
        try upstream.git("init", "-q", "--bare", "-b", "main", bare)
        try publish()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: (serverBase as NSString).deletingLastPathComponent)
    }

    /// Commits a change upstream and publishes it; returns the new commit id.
    @discardableResult
    func commitAndPublish(_ contents: String, file: String = "desired-state/app.yaml") throws -> String {
        let id = try upstream.commit(file: file, contents: contents, message: "Change \(file)")
        try publish()
        return id
    }

    /// Pushes every branch and tag of the upstream to the bare repository, forcing.
    func publish() throws {
        try upstream.git("push", "-q", "--force", bare, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*")
    }

    var head: String {
        get throws { try upstream.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    func source(
        url: String? = nil, reference: TrackedReference = .branch("main"),
        credentials: GitCredentials = GitCredentials(),
        timeout: Double = 20, requireFastForward: Bool? = nil, signaturePolicy: SignaturePolicy? = nil,
        treeLimits: TreeLimits = TreeLimits()
    ) -> GitSource {
        var configuration = GitSourceConfiguration(
            url: url ?? bare, reference: reference, credentials: credentials, stateDirectory: stateDirectory,
            timeout: timeout, requireFastForward: requireFastForward, signaturePolicy: signaturePolicy)
        configuration.treeLimits = treeLimits
        return GitSource(configuration: configuration, launcher: HelperBinary.launcher)
    }

    /// The agent's mirror for the fixture's default URL (there is one per URL).
    var mirrorPath: String {
        get throws {
            let names = try FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/git")
            guard let name = names.first(where: { $0.hasPrefix("mirror-") && $0.hasSuffix(".git") }) else {
                throw CocoaError(.fileNoSuchFile)
            }
            return stateDirectory + "/git/" + name
        }
    }
}

/// The `reconciler` binary SwiftPM built next to the test bundle: the network helper runs
/// as `reconciler git-helper`, the same way the agent runs it.
enum HelperBinary {
    static let launcher: RemoteHelperLauncher = {
        if let path = ProcessInfo.processInfo.environment["RECONCILER_HELPER_BINARY"] {
            return RemoteHelperLauncher(executable: path, arguments: ["git-helper"])
        }
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var directory = (testBinary as NSString).deletingLastPathComponent
        // The test binary may sit inside a bundle directory (name.xctest/...) on some layouts.
        while !directory.isEmpty && directory != "/"
            && !FileManager.default.isExecutableFile(atPath: directory + "/reconciler")
        {
            directory = (directory as NSString).deletingLastPathComponent
        }
        return RemoteHelperLauncher(executable: directory + "/reconciler", arguments: ["git-helper"])
    }()
}
