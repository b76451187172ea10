/// The SSH host keys the agent trusts, read from an OpenSSH known_hosts file.
///
/// The check is done here rather than by libgit2, whose own check reads `$HOME/.ssh` only
/// and, when that file holds an RSA key, negotiates an algorithm OpenSSH 8.8+ refuses.
/// Supported: plain host patterns, `[host]:port`, comma-separated lists, `@revoked`.
/// Hashed entries (`|1|...`, from `ssh-keyscan -H`) and wildcards are not: they are skipped,
/// and an error then says so.
struct KnownHosts {
    struct Entry: Equatable {
        var patterns: [String]
        var keyType: String
        var key: String
        var revoked: Bool
    }

    enum Verdict: Equatable {
        case trusted
        case revoked
        /// Entries exist for the host, none with this key.
        case mismatch(knownTypes: [String])
        case unknownHost(skippedHashedEntries: Bool)
    }

    var entries: [Entry]
    var hashedEntries: Int

    init(text: String) {
        entries = []
        hashedEntries = 0
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }  // @cert-authority: certificates are not supported
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3 else { continue }
            if fields[0].hasPrefix("|") {
                hashedEntries += 1
                continue
            }
            entries.append(
                Entry(
                    patterns: fields[0].split(separator: ",").map(String.init), keyType: fields[1], key: fields[2],
                    revoked: revoked))
        }
    }

    /// Whether `key` (base64 of the wire-format blob) of type `keyType` is trusted for `host:port`.
    func verdict(host: String, port: Int, keyType: String, key: String) -> Verdict {
        let names = port == 22 ? [host, "[\(host)]:22"] : ["[\(host)]:\(port)"]
        let forHost = entries.filter { entry in entry.patterns.contains { names.contains($0) } }
        if forHost.contains(where: { $0.revoked && $0.key == key }) { return .revoked }
        if forHost.contains(where: { !$0.revoked && $0.keyType == keyType && $0.key == key }) { return .trusted }
        let known = forHost.filter { !$0.revoked }.map(\.keyType)
        if known.isEmpty { return .unknownHost(skippedHashedEntries: hashedEntries > 0) }
        return .mismatch(knownTypes: known)
    }

    /// The OpenSSH name of a libssh2 raw host key type.
    static func keyTypeName(rawType: UInt32) -> String? {
        switch rawType {
        case 1: "ssh-rsa"
        case 2: "ssh-dss"
        case 3: "ecdsa-sha2-nistp256"
        case 4: "ecdsa-sha2-nistp384"
        case 5: "ecdsa-sha2-nistp521"
        case 6: "ssh-ed25519"
        default: nil
        }
    }
}
