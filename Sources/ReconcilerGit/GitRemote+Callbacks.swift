internal import CGit2
import Foundation

// libgit2's remote callbacks, translated: the session answers in Swift types, and these turn
// its answers into credentials, return codes and libgit2 error messages.

extension GitRemote {
    /// The kinds of credential a server accepts, as libgit2 offers them.
    struct CredentialTypes: OptionSet {
        let rawValue: UInt32

        static let username = CredentialTypes(rawValue: GIT_CREDENTIAL_USERNAME.rawValue)
        static let sshKey = CredentialTypes(rawValue: GIT_CREDENTIAL_SSH_KEY.rawValue)
        static let userPassword = CredentialTypes(rawValue: GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue)
    }

    /// The session's answer to a request for credentials.
    enum Credential {
        case username(String)
        case sshKey(user: String, privateKeyFile: String, passphrase: String?)
        case userPassword(user: String, password: String)
        /// No credential: the operation fails with `GIT_EAUTH` and this message.
        case refused(message: String)
    }

    /// The host key an SSH server offered, as libssh2 reports it.
    struct SSHHostKey {
        /// libssh2's key type number (`LIBSSH2_HOSTKEY_TYPE_*`, see `KnownHosts.keyTypeName`).
        var rawType: UInt32
        /// The key blob, as in a known_hosts line once base64 encoded.
        var key: Data
        /// The SHA-256 hash of the key blob (the fingerprint ssh shows).
        var sha256: Data
    }

    /// The session's verdict on an SSH host key.
    enum HostKeyVerdict {
        case trusted
        /// The connection fails with `GIT_ECERTIFICATE` and this message.
        case rejected(message: String)
    }

    /// Lends `body` remote callbacks that ask `session`, which they reach through `payload`;
    /// `session` stays alive until `body` returns.
    static func withCallbacks<T>(
        _ session: RemoteSession, _ body: (git_remote_callbacks) throws(GitError) -> T
    ) throws(GitError) -> T {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.credentials = acquireCredential
        callbacks.certificate_check = checkCertificate
        callbacks.update_tips = recordUpdate
        callbacks.push_update_reference = recordPushStatus
        callbacks.payload = Unmanaged.passUnretained(session).toOpaque()
        return try withExtendedLifetime(session) { () throws(GitError) -> T in try body(callbacks) }
    }
}

// C callbacks for libgit2: they cannot capture anything, so the session travels in `payload`.

private func session(_ payload: UnsafeMutableRawPointer) -> RemoteSession {
    Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
}

/// Sets the message libgit2 reports for a callback's refusal.
private func refuse(_ message: String, code: git_error_code) -> Int32 {
    git_error_set_str(Int32(GIT_ERROR_CALLBACK.rawValue), message)
    return code.rawValue
}

private let acquireCredential: git_credential_acquire_cb = { out, _, usernameFromURL, allowedTypes, payload in
    guard let out, let payload else { return -1 }
    let answer = session(payload).acquireCredential(
        usernameFromURL: usernameFromURL.map { String(cString: $0) },
        allowed: GitRemote.CredentialTypes(rawValue: allowedTypes))
    switch answer {
    case .username(let user):
        return git_credential_username_new(out, user)
    case .sshKey(let user, let privateKeyFile, let passphrase):
        return git_credential_ssh_key_new(out, user, nil, privateKeyFile, passphrase)
    case .userPassword(let user, let password):
        return git_credential_userpass_plaintext_new(out, user, password)
    case .refused(let message):
        return refuse(message, code: GIT_EAUTH)
    }
}

private let checkCertificate: git_transport_certificate_check_cb = { certificate, _, host, payload in
    guard let certificate, let payload else { return -1 }
    guard certificate.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
        return GIT_PASSTHROUGH.rawValue  // TLS: mbedTLS's chain and host name verdict stands
    }
    let hostKey = UnsafeRawPointer(certificate).assumingMemoryBound(to: git_cert_hostkey.self).pointee
    var offered: GitRemote.SSHHostKey?
    if hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey {
        offered = GitRemote.SSHHostKey(
            rawType: hostKey.raw_type.rawValue, key: Data(bytes: raw, count: hostKey.hostkey_len),
            sha256: withUnsafeBytes(of: hostKey.hash_sha256) { Data($0) })
    }
    switch session(payload).checkHostKey(offered, host: host.map { String(cString: $0) } ?? "") {
    case .trusted:
        return 0
    case .rejected(let message):
        return refuse(message, code: GIT_ECERTIFICATE)
    }
}

private let recordUpdate:
    @convention(c) (
        UnsafePointer<CChar>?, UnsafePointer<git_oid>?, UnsafePointer<git_oid>?, UnsafeMutableRawPointer?
    ) -> Int32 = { name, old, new, payload in
        guard let name, let payload else { return 0 }
        session(payload).recordUpdate(name: String(cString: name), old: nonZeroHex(old), new: nonZeroHex(new))
        return 0
    }

/// A push's per-reference answer: `status` is nil when the server accepted the reference.
private let recordPushStatus: git_push_update_reference_cb = { name, status, payload in
    guard let name, let status, let payload else { return 0 }
    session(payload).recordPushRejection(name: String(cString: name), status: String(cString: status))
    return 0
}

private func nonZeroHex(_ oid: UnsafePointer<git_oid>?) -> String? {
    guard let oid, case let id = GitObjectID(oid), !id.isZero else { return nil }
    return id.hex
}
