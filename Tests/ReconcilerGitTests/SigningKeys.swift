import Foundation

/// An ed25519 SSH key without a passphrase and an allowed signers file, in a temporary folder.
final class SSHSigningKey {
    let directory =
        FileManager.default.temporaryDirectory.appendingPathComponent("reconciler-ssh-\(UUID().uuidString)").path
    var privateKey: String { "\(directory)/id_ed25519" }
    /// `principal namespaces="git" ssh-ed25519 AAAA…` lines for this key.
    var allowedSigners: String { "\(directory)/allowed_signers" }

    init(principal: String = "ada@example.org", options: String = "namespaces=\"git\"") throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try runTool("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", principal, "-f", privateKey])
        let publicKey = try String(contentsOfFile: "\(privateKey).pub", encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        try "\(principal) \(options) \(publicKey)\n".write(toFile: allowedSigners, atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// An ed25519 OpenPGP key without a passphrase in its own GNUPGHOME, with its public key exported.
final class GPGSigningKey {
    /// Short: gpg-agent's socket lives in here, and socket paths are limited to 108 bytes.
    let home =
        FileManager.default.temporaryDirectory.appendingPathComponent("rgpg-\(UUID().uuidString.prefix(8))").path
    let fingerprint: String

    init(userID: String = "Test <t@example.org>") throws {
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let environment = ["GNUPGHOME": home]
        try runTool(
            "/usr/bin/gpg", ["--batch", "--passphrase", "", "--quick-gen-key", userID, "ed25519", "sign", "never"],
            environment: environment)
        let listing = try runTool(
            "/usr/bin/gpg", ["--batch", "--with-colons", "--list-keys"], environment: environment)
        let line = listing.split(separator: "\n").first { $0.hasPrefix("fpr:") }
        fingerprint = line.map { String($0.split(separator: ":", omittingEmptySubsequences: false)[9]) } ?? ""
    }

    deinit {
        // Signing started a gpg-agent for this home; it must not outlive the test.
        _ = try? runTool("/usr/bin/gpgconf", ["--kill", "gpg-agent"], environment: ["GNUPGHOME": home])
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Writes the public key to `path`, ASCII-armored or binary.
    func exportPublicKey(to path: String, armored: Bool) throws {
        let armor = armored ? ["--armor"] : []
        try runTool(
            "/usr/bin/gpg", ["--batch", "--yes"] + armor + ["--output", path, "--export", fingerprint],
            environment: ["GNUPGHOME": home])
    }
}

extension TemporaryGitRepository {
    /// Commits `contents` to `file`, signed with an SSH key as `git -c gpg.format=ssh commit -S` does.
    func commitSigned(file: String, contents: String, with key: SSHSigningKey) throws -> String {
        try stage(file, contents)
        try git(
            "-c", "gpg.format=ssh", "-c", "user.signingkey=\(key.privateKey)", "commit", "-q", "-S",
            "--author", "Ada Operator <ada@example.org>", "-m", "Signed")
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits `contents` to `file`, signed with an OpenPGP key through gpg.
    func commitSigned(file: String, contents: String, with key: GPGSigningKey) throws -> String {
        try stage(file, contents)
        try runTool(
            "/usr/bin/git",
            [
                "-C", path, "-c", "gpg.program=gpg", "-c", "user.signingkey=\(key.fingerprint)", "commit", "-q", "-S",
                "-m", "Signed",
            ],
            environment: ["GNUPGHOME": key.home])
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
