import Foundation
import Glibc

/// OpenSSH's sshd in the foreground on 127.0.0.1, with its own ed25519 host key and client keys,
/// serving the bare repositories under a base directory (by absolute path) as the current user.
final class SSHServer {
    let baseDirectory: String
    let port: UInt16
    /// The user the test runs as (root in CI); the only user sshd lets in.
    let userName: String

    /// An authorized ed25519 key pair without a passphrase.
    let clientPrivateKeyPath: String
    let clientPublicKeyPath: String
    /// An authorized ed25519 key pair protected by `passphrase`.
    let passphraseKeyPath: String
    let passphrasePublicKeyPath: String
    let passphrase: String
    /// A valid ed25519 key pair that is not in authorized_keys: authentication must be refused.
    let unauthorizedPrivateKeyPath: String
    let unauthorizedPublicKeyPath: String

    /// `ssh-ed25519 AAAA...`: the host key as in a known_hosts or .pub line, without a comment.
    let hostPublicKeyLine: String
    /// `SHA256:...`, as `ssh-keygen -l` prints it: base64 of libgit2's `git_cert_hostkey.hash_sha256`.
    let hostKeyFingerprint: String
    /// `[127.0.0.1]:P ssh-ed25519 AAAA...`
    let knownHostsLine: String
    /// A known_hosts file holding `knownHostsLine`.
    let knownHostsPath: String
    /// A known_hosts file for the same `[127.0.0.1]:P` with another, freshly generated host key.
    let wrongKnownHostsPath: String

    private let directory: ServerDirectory
    private let process: ServerProcess

    /// sshd's log so far (`-e`, `LogLevel VERBOSE`: accepted and refused keys included).
    var log: String { process.log }

    /// The base64 key blob of the host key: what libgit2's `git_cert_hostkey.hostkey` encodes to.
    var hostKeyBase64: String { hostPublicKeyLine.split(separator: " ").last.map(String.init) ?? "" }

    init(baseDirectory: String) throws {
        self.baseDirectory = baseDirectory
        let directory = try ServerDirectory("sshd")
        userName = Self.currentUserName()

        // sshd exits with "Missing privilege separation directory" without it; slim containers lack it.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)

        let hostKeyPath = directory.file("ssh_host_ed25519_key")
        hostPublicKeyLine = try Self.generateKey(at: hostKeyPath)
        let fingerprint = try ServerTool.checked("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", hostKeyPath])
        hostKeyFingerprint = fingerprint.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        let otherHostKeyLine = try Self.generateKey(at: directory.file("other_host_ed25519_key"))
        clientPrivateKeyPath = directory.file("id_ed25519")
        clientPublicKeyPath = clientPrivateKeyPath + ".pub"
        let clientKeyLine = try Self.generateKey(at: clientPrivateKeyPath)
        passphraseKeyPath = directory.file("id_ed25519_passphrase")
        passphrasePublicKeyPath = passphraseKeyPath + ".pub"
        let passphrase = "correct horse battery staple"
        self.passphrase = passphrase
        let passphraseKeyLine = try Self.generateKey(at: passphraseKeyPath, passphrase: passphrase)
        unauthorizedPrivateKeyPath = directory.file("id_ed25519_unauthorized")
        unauthorizedPublicKeyPath = unauthorizedPrivateKeyPath + ".pub"
        try Self.generateKey(at: unauthorizedPrivateKeyPath)
        try directory.write(clientKeyLine + "\n" + passphraseKeyLine + "\n", to: "authorized_keys", permissions: 0o600)

        let userName = userName
        (process, port) = try ServerProcess.start(name: "sshd", in: directory) { port in
            // StrictModes no: the temp dir and key files need not pass sshd's ownership checks.
            // SetEnv keeps the machine's git config away from the git-upload-pack that sshd runs.
            let config = """
                ListenAddress 127.0.0.1:\(port)
                HostKey \(hostKeyPath)
                PidFile \(directory.file("sshd.pid"))
                AuthorizedKeysFile \(directory.file("authorized_keys"))
                StrictModes no
                UsePAM no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PubkeyAuthentication yes
                PermitRootLogin prohibit-password
                AllowUsers \(userName)
                SetEnv GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
                LogLevel VERBOSE

                """
            try directory.write(config, to: "sshd_config")
            // -D: stay in the foreground so stop() can signal it; -e: log to stderr (our log file).
            return ("/usr/sbin/sshd", ["-D", "-e", "-f", directory.file("sshd_config")])
        }

        knownHostsLine = "[127.0.0.1]:\(port) \(hostPublicKeyLine)"
        knownHostsPath = directory.file("known_hosts")
        try directory.write(knownHostsLine + "\n", to: "known_hosts")
        wrongKnownHostsPath = directory.file("known_hosts_wrong")
        try directory.write("[127.0.0.1]:\(port) \(otherHostKeyLine)\n", to: "known_hosts_wrong")
        self.directory = directory
    }

    deinit { stop() }

    /// `ssh://USER@127.0.0.1:P/ABSOLUTE/PATH/repo.git`; `repo` and `repo.git` name the same repository.
    func url(for repository: String) -> String {
        "ssh://\(userName)@127.0.0.1:\(port)\(baseDirectory)/\(bareRepositoryName(repository))"
    }

    /// Writes a known_hosts file trusting this server, e.g. to `$HOME/.ssh/known_hosts`.
    func writeKnownHosts(to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try (knownHostsLine + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Kills sshd and removes its temporary directory, keys included. Idempotent.
    func stop() {
        process.stop()
        directory.remove()
    }

    /// Generates an ed25519 key pair at `path` and `path.pub`; returns `ssh-ed25519 AAAA...`.
    @discardableResult
    private static func generateKey(at path: String, passphrase: String = "") throws -> String {
        try ServerTool.checked(
            "/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", "reconciler-test", "-f", path])
        let publicLine = try String(contentsOfFile: path + ".pub", encoding: .utf8)
        return publicLine.split(separator: " ").prefix(2).joined(separator: " ")
    }

    private static func currentUserName() -> String {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return "root" }
        return String(cString: name)
    }
}
