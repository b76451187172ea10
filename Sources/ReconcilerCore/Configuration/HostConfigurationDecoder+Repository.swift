internal import Yams

extension ConfigurationReader {
    static let repositoryKeys = [
        "url", "branch", "tag", "commit", "path", "credentials", "timeout", "requireFastForward", "signers",
    ]
    static let credentialKeys = [
        "username", "passwordFile", "sshKeyFile", "sshKeyPassphraseFile", "knownHostsFile", "caFile",
        "allowInsecureHTTP",
    ]
    static let signerKeys = ["sshAllowedSigners", "openPGPKeyring"]

    /// `repository:`: where the desired state comes from and how far to trust it.
    mutating func repository(_ node: Node, at path: FieldPath) {
        guard let fields = decoder.fields(of: node, at: path, allowed: Self.repositoryKeys) else { return }
        if let url = fields["url"], let text = decoder.string(url, at: path.key("url")) {
            if text.isEmpty || text.contains(" ") {
                decoder.error(at: url, path.key("url"), "expected a repository path or URL without spaces")
            } else {
                configuration.repository.url = text
            }
        }
        let references = ["branch", "tag", "commit"].filter { fields[$0] != nil }
        if references.count > 1 {
            decoder.error(
                at: node, path,
                "set at most one of branch, tag or commit (found \(references.joined(separator: " and ")))")
        } else if let kind = references.first, let value = fields[kind] {
            reference(kind, value, at: path.key(kind))
        }
        if let folder = fields["path"], let text = decoder.string(folder, at: path.key("path")) {
            if text.isEmpty || text.hasPrefix("/") || text.split(separator: "/").contains("..") {
                decoder.error(
                    at: folder, path.key("path"),
                    "expected a folder relative to the repository root that stays inside it, found '\(text)'")
            } else {
                configuration.repository.path = text
            }
        }
        if let timeout = fields["timeout"], let value = seconds(timeout, at: path.key("timeout")) {
            configuration.repository.timeout = value
        }
        if let flag = fields["requireFastForward"], let value = decoder.bool(flag, at: path.key("requireFastForward")) {
            configuration.repository.requireFastForward = value
        }
        if let credentials = fields["credentials"] {
            var decoded = configuration.repository.credentials
            self.credentials(credentials, at: path.key("credentials"), into: &decoded)
            configuration.repository.credentials = decoded
        }
        if let signers = fields["signers"] { self.signers(signers, at: path.key("signers")) }
    }

    private mutating func reference(_ kind: String, _ node: Node, at path: FieldPath) {
        guard let text = decoder.string(node, at: path) else { return }
        switch kind {
        case "branch", "tag":
            if text.isEmpty || text.hasPrefix("-") || text.contains(" ") || text.contains("..") {
                decoder.error(at: node, path, "'\(text)' is not a valid \(kind) name")
                return
            }
            configuration.repository.reference = kind == "branch" ? .branch(text) : .tag(text)
        default:
            guard text.count == 40, text.allSatisfy(\.isHexDigit) else {
                decoder.error(at: node, path, "expected a full 40-character commit id, found '\(text)'")
                return
            }
            configuration.repository.reference = .commit(text.lowercased())
        }
    }

    /// `credentials:`: file paths only, never the secrets themselves.
    mutating func credentials(_ node: Node, at path: FieldPath, into credentials: inout GitCredentials) {
        guard let fields = decoder.fields(of: node, at: path, allowed: Self.credentialKeys) else { return }
        if let user = fields["username"], let text = decoder.string(user, at: path.key("username")) {
            credentials.username = text
        }
        func file(_ key: String, into keyPath: WritableKeyPath<GitCredentials, String?>) {
            guard let node = fields[key], let text = absolutePath(node, at: path.key(key)) else { return }
            credentials[keyPath: keyPath] = text
        }
        file("passwordFile", into: \.passwordFile)
        file("sshKeyFile", into: \.sshKeyFile)
        file("sshKeyPassphraseFile", into: \.sshKeyPassphraseFile)
        file("knownHostsFile", into: \.knownHostsFile)
        file("caFile", into: \.caFile)
        if let flag = fields["allowInsecureHTTP"], let value = decoder.bool(flag, at: path.key("allowInsecureHTTP")) {
            credentials.allowInsecureHTTP = value
        }
    }

    /// `signers:`: exactly one trust list.
    private mutating func signers(_ node: Node, at path: FieldPath) {
        guard let fields = decoder.fields(of: node, at: path, allowed: Self.signerKeys) else { return }
        let given = Self.signerKeys.filter { fields[$0] != nil }
        guard given.count == 1, let kind = given.first, let value = fields[kind] else {
            decoder.error(at: node, path, "set exactly one of sshAllowedSigners or openPGPKeyring")
            return
        }
        guard let file = absolutePath(value, at: path.key(kind)) else { return }
        configuration.repository.signaturePolicy =
            kind == "sshAllowedSigners" ? .sshAllowedSigners(path: file) : .openPGPKeyring(path: file)
    }
}
