internal import CGit2
import Foundation

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
    private var askedFor: [UInt32: Int] = [:]

    init(url: GitURL, credentials: GitCredentials) throws(RemoteFailure) {
        self.url = url
        self.credentials = credentials
        var password = url.password
        if let file = credentials.passwordFile { password = try Self.firstLine(of: file, what: "passwordFile") }
        self.password = password
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
        switch error.code {
        case GIT_EAUTH.rawValue: return .authentication
        case GIT_ECERTIFICATE.rawValue: return .certificate
        default: break
        }
        if text.contains("status code: 401") || text.contains("status code: 403")
            || text.contains("authentication") && error.errorClass == Int32(GIT_ERROR_SSH.rawValue)
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

    private func refuse(_ kind: RemoteFailure.Kind, _ message: String, code: Int32) -> Int32 {
        refusal = RemoteFailure(kind: kind, message: message)
        git_error_set_str(Int32(GIT_ERROR_CALLBACK.rawValue), message)
        return code
    }

    // MARK: Callbacks

    func acquireCredential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, usernameFromURL: String?,
        allowedTypes: UInt32
    ) -> Int32 {
        let user = credentials.username ?? usernameFromURL ?? url.user ?? "git"
        func ask(_ type: git_credential_t) -> Bool {
            guard allowedTypes & type.rawValue != 0 else { return false }
            askedFor[type.rawValue, default: 0] += 1
            return true
        }
        let refused = GIT_EAUTH.rawValue
        if ask(GIT_CREDENTIAL_USERNAME) {
            return git_credential_username_new(out, user)
        }
        if ask(GIT_CREDENTIAL_SSH_KEY) {
            guard let key = credentials.sshKeyFile else {
                return refuse(
                    .authentication, "the SSH server asks for a key and no sshKeyFile is configured", code: refused)
            }
            if askedFor[GIT_CREDENTIAL_SSH_KEY.rawValue, default: 0] > 1 {
                return refuse(
                    .authentication,
                    "the SSH server refused user '\(user)' with the key in \(key); add its public key to the account's authorized keys",
                    code: refused)
            }
            return git_credential_ssh_key_new(out, user, nil, key, passphrase)
        }
        if ask(GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
            guard let password else {
                return refuse(
                    .authentication,
                    "the server requires authentication and no passwordFile is configured for \(url.redacted)",
                    code: refused)
            }
            // The header already carried these credentials: a second try would be refused again.
            if authorizationHeader != nil || askedFor[GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue, default: 0] > 1 {
                let source = credentials.passwordFile.map { "the password in \($0)" } ?? "the password in the URL"
                return refuse(
                    .authentication, "the server refused user '\(user)' with \(source)", code: refused)
            }
            return git_credential_userpass_plaintext_new(out, user, password)
        }
        return refuse(
            .authentication, "the server asks for a kind of credential the agent cannot give (types \(allowedTypes))",
            code: refused)
    }

    func checkCertificate(_ certificate: UnsafeMutablePointer<git_cert>, host: String) -> Int32 {
        guard certificate.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            return GIT_PASSTHROUGH.rawValue  // TLS: mbedTLS's chain and host name verdict stands
        }
        let hostKey = UnsafeRawPointer(certificate).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        let rejected = GIT_ECERTIFICATE.rawValue
        guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey,
            let keyType = KnownHosts.keyTypeName(rawType: hostKey.raw_type.rawValue)
        else {
            return refuse(
                .certificate, "the SSH server at \(host) offered a host key of an unknown type", code: rejected)
        }
        let key = Data(bytes: raw, count: hostKey.hostkey_len).base64EncodedString()
        let fingerprint = withUnsafeBytes(of: hostKey.hash_sha256) { Data($0).base64EncodedString() }
            .replacing("=", with: "")
        let port = url.effectivePort
        let shownHost = port == 22 ? host : "[\(host)]:\(port)"
        guard let knownHosts, let file = credentials.knownHostsFile else {
            return refuse(
                .certificate,
                "no knownHostsFile is configured, so the SSH host key of \(shownHost) (\(keyType) SHA256:\(fingerprint)) cannot be checked; add it with: ssh-keyscan -p \(port) \(host) >> /etc/reconciler/known_hosts",
                code: rejected)
        }
        switch knownHosts.verdict(host: host, port: port, keyType: keyType, key: key) {
        case .trusted:
            return 0
        case .revoked:
            return refuse(
                .certificate, "the SSH host key of \(shownHost) (SHA256:\(fingerprint)) is marked @revoked in \(file)",
                code: rejected)
        case .mismatch(let known):
            return refuse(
                .certificate,
                "HOST KEY MISMATCH for \(shownHost): it offered \(keyType) SHA256:\(fingerprint), which is not the \(known.joined(separator: ", ")) key in \(file); if the server's key really changed, replace its line in \(file)",
                code: rejected)
        case .unknownHost(let skippedHashed):
            let hint = skippedHashed ? " (hashed entries are not supported; use ssh-keyscan without -H)" : ""
            return refuse(
                .certificate,
                "\(shownHost) is not in \(file)\(hint); it offered \(keyType) SHA256:\(fingerprint); add it with: ssh-keyscan -p \(port) \(host) >> \(file)",
                code: rejected)
        }
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
