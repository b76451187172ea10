/// How the agent proves who it is to the git server, and how it checks who the server is.
///
/// Only file paths live here, never secrets: this value is logged, printed by `status` and
/// handed to the network helper on its standard input. The helper reads the files itself.
public struct GitCredentials: Codable, Sendable, Hashable {
    /// The user name for SSH or HTTP. For SSH it defaults to the user in the URL, for HTTP
    /// tokens to `x-access-token` (what GitHub and Gitea accept with a token as password).
    public var username: String?
    /// A file holding the HTTP password, or the token, on its first line.
    public var passwordFile: String?
    /// An OpenSSH private key (ed25519 or ECDSA; libssh2 1.10 cannot use RSA keys with OpenSSH 8.8+).
    public var sshKeyFile: String?
    /// A file holding the passphrase of `sshKeyFile`, when it has one.
    public var sshKeyPassphraseFile: String?
    /// known_hosts lines (`host`, `[host]:port`, key type, key) the SSH server's key must match.
    public var knownHostsFile: String?
    /// Extra certificate authorities (PEM) to trust for HTTPS, on top of the system's.
    public var caFile: String?
    /// Send a password or token over plain `http://`, where anyone on the path can read it.
    /// Refused unless set: meant for a trusted network or a local test server only.
    public var allowInsecureHTTP = false

    public init(
        username: String? = nil, passwordFile: String? = nil, sshKeyFile: String? = nil,
        sshKeyPassphraseFile: String? = nil, knownHostsFile: String? = nil, caFile: String? = nil,
        allowInsecureHTTP: Bool = false
    ) {
        self.username = username
        self.passwordFile = passwordFile
        self.sshKeyFile = sshKeyFile
        self.sshKeyPassphraseFile = sshKeyPassphraseFile
        self.knownHostsFile = knownHostsFile
        self.caFile = caFile
        self.allowInsecureHTTP = allowInsecureHTTP
    }
}
