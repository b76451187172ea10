import Foundation
import ReconcilerCore

/// Everything one remote operation's libgit2 callbacks need: credentials read from their
/// files, the trusted host keys, and what the callbacks learned (refusals, ref updates).
///
/// libgit2 calls the callbacks on the calling thread, during the call, through `payload`;
/// the session outlives the call (see `withCallbacks`).
final class RemoteSession {
    let url: GitURL
    let credentials: GitCredentials
    private let password: String?
    private let passphrase: String?
    private let knownHosts: KnownHosts?
    /// Secret strings to scrub from any message before it leaves the helper.
    let secrets: [String]
    /// Sent with every HTTP request, so the first request already authenticates: libgit2 1.5
    /// misreads a 401 that has a body and never gets to retry with credentials.
    let authorizationHeader: String?

    /// Set by a callback that refused something, with a better message than libgit2's.
    private(set) var refusal: RemoteFailure?
    private(set) var updates: [ReferenceUpdate] = []
    /// References a push's server refused, with its reason (a hook's, "non-fast-forward"...).
    private(set) var pushRejections: [(name: String, status: String)] = []
    private var askedFor: [UInt32: Int] = [:]

    init(url: GitURL, credentials: GitCredentials) throws(RemoteFailure) {
        self.url = url
        self.credentials = credentials
        var password = url.password
        if let file = credentials.passwordFile { password = try Self.firstLine(of: file, what: "passwordFile") }
        self.password = password
        if url.scheme == "http", password != nil, !credentials.allowInsecureHTTP {
            let source = credentials.passwordFile.map { "the password in \($0)" } ?? "the password in the URL"
            throw RemoteFailure(
                kind: .configuration,
                message:
                    "refusing to send \(source) over plain http:// to \(url.host), where anyone on the way can read it; use https://, or set repository.credentials.allowInsecureHTTP: true if the network is trusted"
            )
        }
        passphrase = try credentials.sshKeyPassphraseFile.map { file throws(RemoteFailure) in
            try Self.firstLine(of: file, what: "sshKeyPassphraseFile")
        }
        if let file = credentials.knownHostsFile {
            knownHosts = KnownHosts(text: try Self.read(file, what: "knownHostsFile"))
        } else {
            knownHosts = nil
        }
        if let key = credentials.sshKeyFile, access(key, R_OK) != 0 {
            throw RemoteFailure(
                kind: .configuration,
                message: "cannot read sshKeyFile \(key): \(String(cString: strerror(errno)))")
        }
        secrets = [password, passphrase].compactMap { $0 }.filter { !$0.isEmpty }
        if url.isHTTP, let password {
            let user = credentials.username ?? url.user ?? "x-access-token"
            let token = Data("\(user):\(password)".utf8).base64EncodedString()
            authorizationHeader = "Authorization: Basic \(token)"
        } else {
            authorizationHeader = nil
        }
    }

    /// The failure to report for a libgit2 error: the callbacks' own refusal when they made
    /// one, otherwise libgit2's error, classified and scrubbed of secrets.
    func failure(for error: GitError) -> RemoteFailure {
        if var refusal {
            refusal.code = error.code
            refusal.errorClass = error.errorClass
            return refusal
        }
        let message = redactingSecrets("\(error.message)", secrets: secrets)
        return RemoteFailure(
            kind: RemoteSession.classify(error, url: url), message: message, code: error.code,
            errorClass: error.errorClass)
    }

    static func classify(_ error: GitError, url: GitURL) -> RemoteFailure.Kind {
        let text = error.message.lowercased()
        if error.isAuthenticationFailure { return .authentication }
        if error.isCertificateFailure { return .certificate }
        if text.contains("status code: 401") || text.contains("status code: 403")
            || text.contains("authentication") && error.isFromSSH
        {
            return .authentication
        }
        if text.contains("failed to connect") || text.contains("failed to resolve")
            || text.contains("connection refused")
            || text.contains("name or service not known") || text.contains("no route") || text.contains("unreachable")
            || text.contains("unsupported url protocol") && url.isLocal
        {
            return .unreachable
        }
        if text.contains("public key file") || text.contains("private key") { return .configuration }
        return .remote
    }

    /// Records why a callback refused, for `failure(for:)`, and returns the message for libgit2.
    private func refuse(_ kind: RemoteFailure.Kind, _ message: String) -> String {
        refusal = RemoteFailure(kind: kind, message: message)
        return message
    }

    // MARK: Callbacks

    /// Answers libgit2's request for credentials, refusing a second try with the same ones.
    func acquireCredential(usernameFromURL: String?, allowed: GitRemote.CredentialTypes) -> GitRemote.Credential {
        let user = credentials.username ?? usernameFromURL ?? url.user ?? "git"
        func ask(_ type: GitRemote.CredentialTypes) -> Bool {
            guard allowed.contains(type) else { return false }
            askedFor[type.rawValue, default: 0] += 1
            return true
        }
        func refused(_ message: String) -> GitRemote.Credential {
            .refused(message: refuse(.authentication, message))
        }
        if ask(.username) {
            return .username(user)
        }
        if ask(.sshKey) {
            guard let key = credentials.sshKeyFile else {
                return refused("the SSH server asks for a key and no sshKeyFile is configured")
            }
            if askedFor[GitRemote.CredentialTypes.sshKey.rawValue, default: 0] > 1 {
                return refused(
                    "the SSH server refused user '\(user)' with the key in \(key); add its public key to the account's authorized keys"
                )
            }
            return .sshKey(user: user, privateKeyFile: key, passphrase: passphrase)
        }
        if ask(.userPassword) {
            guard let password else {
                return refused(
                    "the server requires authentication and no passwordFile is configured for \(url.redacted)")
            }
            // The header already carried these credentials: a second try would be refused again.
            if authorizationHeader != nil
                || askedFor[GitRemote.CredentialTypes.userPassword.rawValue, default: 0] > 1
            {
                let source = credentials.passwordFile.map { "the password in \($0)" } ?? "the password in the URL"
                return refused("the server refused user '\(user)' with \(source)")
            }
            return .userPassword(user: user, password: password)
        }
        return refused(
            "the server asks for a kind of credential the agent cannot give (types \(allowed.rawValue))")
    }

    /// Checks the host key an SSH server offered against the known hosts file. `offered` is nil
    /// when libssh2 gave no raw key, which is refused like a key of an unknown type.
    func checkHostKey(_ offered: GitRemote.SSHHostKey?, host: String) -> GitRemote.HostKeyVerdict {
        func rejected(_ message: String) -> GitRemote.HostKeyVerdict {
            .rejected(message: refuse(.certificate, message))
        }
        guard let offered, let keyType = KnownHosts.keyTypeName(rawType: offered.rawType) else {
            return rejected("the SSH server at \(host) offered a host key of an unknown type")
        }
        let key = offered.key.base64EncodedString()
        let fingerprint = offered.sha256.base64EncodedString().replacing("=", with: "")
        let port = url.effectivePort
        let shownHost = port == 22 ? host : "[\(host)]:\(port)"
        guard let knownHosts, let file = credentials.knownHostsFile else {
            return rejected(
                "no knownHostsFile is configured, so the SSH host key of \(shownHost) (\(keyType) SHA256:\(fingerprint)) cannot be checked; add it with: ssh-keyscan -p \(port) \(host) >> /etc/reconciler/known_hosts"
            )
        }
        switch knownHosts.verdict(host: host, port: port, keyType: keyType, key: key) {
        case .trusted:
            return .trusted
        case .revoked:
            return rejected(
                "the SSH host key of \(shownHost) (SHA256:\(fingerprint)) is marked @revoked in \(file)")
        case .mismatch(let known):
            return rejected(
                "HOST KEY MISMATCH for \(shownHost): it offered \(keyType) SHA256:\(fingerprint), which is not the \(known.joined(separator: ", ")) key in \(file); if the server's key really changed, replace its line in \(file)"
            )
        case .unknownHost(let skippedHashed):
            let hint = skippedHashed ? " (hashed entries are not supported; use ssh-keyscan without -H)" : ""
            return rejected(
                "\(shownHost) is not in \(file)\(hint); it offered \(keyType) SHA256:\(fingerprint); add it with: ssh-keyscan -p \(port) \(host) >> \(file)"
            )
        }
    }

    func recordPushRejection(name: String, status: String) {
        pushRejections.append((name, status))
    }

    func recordUpdate(name: String, old: String?, new: String?) {
        updates.append(ReferenceUpdate(name: name, old: old, new: new))
    }

    // MARK: Reading credential files

    private static func read(_ path: String, what: String) throws(RemoteFailure) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = access(path, F_OK) == 0 ? "permission denied" : "no such file"
            throw RemoteFailure(kind: .configuration, message: "cannot read \(what) \(path): \(reason)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The first line, without its newline: editors add one at the end of a token file.
    private static func firstLine(of path: String, what: String) throws(RemoteFailure) -> String {
        let text = try read(path, what: what)
        return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: .whitespaces)
    }
}
