import Foundation

/// `git daemon` serving the bare repositories under a base directory over git:// on 127.0.0.1.
final class GitDaemonServer {
    let baseDirectory: String
    let port: UInt16
    private let directory: ServerDirectory
    private let process: ServerProcess

    /// The daemon's stdout and stderr so far (`--verbose`: one line per connection and request).
    var log: String { process.log }

    /// - Parameter receivePack: also serve pushes (`--enable=receive-pack`).
    init(baseDirectory: String, receivePack: Bool = false) throws {
        self.baseDirectory = baseDirectory
        let directory = try ServerDirectory("git-daemon")
        // Runs as root without `--user`: that option only works with `--detach`, and git daemon
        // itself does not refuse root. Repositories and daemon share an owner, so git's
        // safe.directory check passes. Only upload-pack is enabled (it is on by default anyway),
        // and receive-pack when a test pushes.
        (process, port) = try ServerProcess.start(name: "git-daemon", in: directory) { port in
            (
                "/usr/bin/git",
                [
                    "daemon", "--reuseaddr", "--verbose", "--listen=127.0.0.1", "--port=\(port)", "--export-all",
                    "--base-path=\(baseDirectory)", "--enable=upload-pack",
                ] + (receivePack ? ["--enable=receive-pack"] : []) + [baseDirectory]
            )
        }
        self.directory = directory
    }

    deinit { stop() }

    /// `git://127.0.0.1:P/repo.git`; `repo` and `repo.git` name the same repository.
    func url(for repository: String) -> String {
        loopbackURL(scheme: "git", port: port, repository: repository)
    }

    /// Kills the daemon and removes its temporary directory. Idempotent.
    func stop() {
        process.stop()
        directory.remove()
    }
}
