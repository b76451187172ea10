import Foundation
public import ReconcilerCore

/// Checks secrets with the real `age`: the identity file's mode, then a trial decryption
/// whose clear text goes to /dev/null. The ciphertext reaches age as a file on stdin and
/// never as an argument; only age's own stderr (which never holds clear text) is read back.
///
/// A secret that decrypted once is not tried again while the identity file is unchanged,
/// so a quiet poll does not start age.
public final class AgeSecretChecker: SecretChecking, @unchecked Sendable {
    public static let agePath = "/usr/bin/age"
    private let lock = NSLock()
    private var decrypted: Set<String> = []

    public init() {}

    public func checkIdentity(at path: String) throws(SecretCheckFailure) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw SecretCheckFailure(
                "this host has no usable age identity at \(path) (\(reason)), and the commit gives it secrets;"
                    + " create one with `age-keygen -o \(path)` (mode 0600), or set ageIdentity in the config, and"
                    + " encrypt the secrets for its public key (`age-keygen -y \(path)`)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SecretCheckFailure("the age identity \(path) is not a regular file")
        }
        let mode = info.st_mode & 0o7777
        guard mode & 0o077 == 0 else {
            throw SecretCheckFailure(
                "the age identity \(path) has mode \(String(mode, radix: 8)), so other users may read this host's"
                    + " private key; make it owner-only: chmod 0600 \(path)")
        }
        guard info.st_uid == geteuid() else {
            throw SecretCheckFailure(
                "the age identity \(path) belongs to uid \(info.st_uid), not to the agent's uid \(geteuid());"
                    + " chown it to the agent's user")
        }
    }

    public func checkEnvironmentFile(at path: String) throws(SecretCheckFailure) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw SecretCheckFailure(
                "the env file is missing on this host (\(reason)); create it as root with the variables the"
                    + " service needs, one NAME=value per line, mode 0600 (it stays out of git)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SecretCheckFailure("it is not a regular file; the runtime reads env files as plain files")
        }
        guard access(path, R_OK) == 0 else {
            throw SecretCheckFailure("the agent cannot read it (\(String(cString: strerror(errno))))")
        }
    }

    public func check(_ secret: SecretFile, identity: String) throws(SecretCheckFailure) {
        var info = stat()
        _ = stat(identity, &info)
        let key = [
            identity, "\(info.st_ino)", "\(info.st_size)", "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)",
            ContentHash.hex(bytes: secret.ciphertext), "\(secret.ciphertext.count)",
        ].joined(separator: "\u{0}")
        if lock.withLock({ decrypted.contains(key) }) { return }
        try decrypt(secret, identity: identity)
        lock.withLock { _ = decrypted.insert(key) }
    }

    private func decrypt(_ secret: SecretFile, identity: String) throws(SecretCheckFailure) {
        let workspace: PrivateDirectory
        do {
            workspace = try PrivateDirectory.make(prefix: "reconciler-age")
        } catch {
            throw SecretCheckFailure("cannot check \(secret.path): \(error)")
        }
        defer { workspace.remove() }
        let input = workspace.file("secret.age")
        let errors = workspace.file("age.err")
        let termination: ChildProcess.Termination
        do {
            try AtomicFile.write(secret.ciphertext, to: input, mode: 0o600)
            termination = try ChildProcess.run(
                Self.agePath, ["--decrypt", "--identity", identity, "--output", "/dev/null"],
                environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"], standardInput: input,
                standardOutput: "/dev/null", standardError: errors, timeout: 30)
        } catch {
            throw SecretCheckFailure("cannot run \(Self.agePath) to check \(secret.path): \(error); install age")
        }
        guard termination != .exited(0) else { return }
        let said = ((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
            .split(whereSeparator: \.isNewline).filter { !$0.isEmpty }.prefix(3).joined(separator: " ")
        throw SecretCheckFailure(
            "\(secret.path) cannot be decrypted with this host's identity \(identity) (age: \(said.isEmpty ? "\(termination)" : said));"
                + " encrypt it for this host's public key (`age-keygen -y \(identity)`) as well")
    }
}
