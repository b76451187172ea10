import Foundation

/// git's smart HTTP protocol on 127.0.0.1: `git http-backend` behind a small Python CGI host
/// (`SmartHTTPScript`), optionally over TLS and optionally behind Basic auth.
final class SmartHTTPServer {
    /// One request as the server saw it, in arrival order.
    struct Request: Equatable, CustomStringConvertible {
        var method: String
        /// Path and query, e.g. `/repo.git/info/refs?service=git-upload-pack`.
        var path: String
        var status: Int
        /// How the request body came: `["chunked"]`, `["gzip"]`, or `[]` for a plain body or none.
        var bodyEncodings: [String] = []

        var description: String { "\(method) \(path) \(status) \(bodyEncodings)" }
    }

    let baseDirectory: String
    let port: UInt16
    let usesTLS: Bool
    let userName: String?
    let password: String?
    /// The throw-away CA that signed the server's certificate (PEM), when `tls` is on.
    let caCertificatePath: String?

    private let directory: ServerDirectory
    private let process: ServerProcess

    /// The Python server's stderr so far: its access log and http-backend's messages.
    var log: String { process.log }

    /// `Authorization: Basic base64(user:password)`, e.g. for `http.extraHeader` or libgit2's
    /// custom headers, when the server requires credentials.
    var authorizationHeader: String? {
        guard let userName, let password else { return nil }
        return "Authorization: Basic " + Data("\(userName):\(password)".utf8).base64EncodedString()
    }

    /// Every request so far, refused ones included.
    var requests: [Request] {
        let text = (try? String(contentsOfFile: directory.file("requests.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 4, let status = Int(fields[2]) else { return nil }
            let encodings = fields[3] == "-" ? [] : fields[3].split(separator: ",").map(String.init)
            return Request(method: String(fields[0]), path: String(fields[1]), status: status, bodyEncodings: encodings)
        }
    }

    /// Successful `POST .../git-upload-pack` requests. libgit2 1.5 speaks protocol v0, where only a
    /// fetch that negotiates objects posts; listing refs is a single GET of info/refs. (The git CLI
    /// speaks v2 and posts for ls-refs too.)
    var uploadPackPostCount: Int {
        requests.filter { $0.method == "POST" && $0.path.hasSuffix("/git-upload-pack") && $0.status == 200 }.count
    }

    init(baseDirectory: String, tls: Bool = false, credentials: (user: String, password: String)? = nil) throws {
        self.baseDirectory = baseDirectory
        usesTLS = tls
        userName = credentials?.user
        password = credentials?.password
        let directory = try ServerDirectory(tls ? "https" : "http")
        try directory.write(SmartHTTPScript.source, to: "server.py")
        var tlsArguments: [String] = []
        if tls {
            caCertificatePath = try Self.makeCertificates(in: directory)
            tlsArguments = [directory.file("server.pem"), directory.file("server.key")]
        } else {
            caCertificatePath = nil
        }
        var environment = ServerTool.isolatedGitEnvironment
        // Passed through the environment rather than argv, where any `ps` would show it.
        if let credentials {
            environment["SMART_HTTP_BASIC"] = Data("\(credentials.user):\(credentials.password)".utf8)
                .base64EncodedString()
        }
        (process, port) = try ServerProcess.start(name: "smart-http", in: directory, environment: environment) {
            port in
            // The system python3, not a pyenv shim that PATH may put first.
            let arguments = [directory.file("server.py"), String(port), baseDirectory, directory.file("requests.log")]
            return ("/usr/bin/python3", ["-u"] + arguments + tlsArguments)
        }
        self.directory = directory
    }

    deinit { stop() }

    /// `http://127.0.0.1:P/repo.git`, or `https://localhost:P/repo.git` with TLS (the certificate
    /// names DNS:localhost only). With `includingCredentials`, `user:password@` goes before the host.
    func url(for repository: String, includingCredentials: Bool = false) -> String {
        var userInfo = ""
        if includingCredentials, let userName, let password {
            let user = userName.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? userName
            let secret = password.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? password
            userInfo = "\(user):\(secret)@"
        }
        let host = usesTLS ? "https://\(userInfo)localhost" : "http://\(userInfo)127.0.0.1"
        return "\(host):\(port)/\(bareRepositoryName(repository))"
    }

    /// Kills the server and removes its temporary directory (script, keys, logs). Idempotent.
    func stop() {
        process.stop()
        directory.remove()
    }

    /// A throw-away CA and a server certificate it signs, for DNS name `localhost` only: libgit2's
    /// mbedTLS backend cannot match IP address SANs, so clients must use https://localhost.
    /// RSA 2048 rather than EC keys: every TLS backend takes it. Returns the CA certificate's path.
    private static func makeCertificates(in directory: ServerDirectory) throws -> String {
        let openssl = "/usr/bin/openssl"
        try ServerTool.checked(
            openssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=reconciler test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", directory.file("ca.key"), "-out", directory.file("ca.pem"),
            ])
        try ServerTool.checked(
            openssl,
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-keyout", directory.file("server.key"), "-out", directory.file("server.csr"),
            ])
        try directory.write(
            """
            subjectAltName = DNS:localhost
            basicConstraints = CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth

            """, to: "server.ext")
        try ServerTool.checked(
            openssl,
            [
                "x509", "-req", "-days", "2", "-set_serial", "1", "-in", directory.file("server.csr"),
                "-CA", directory.file("ca.pem"), "-CAkey", directory.file("ca.key"),
                "-extfile", directory.file("server.ext"), "-out", directory.file("server.pem"),
            ])
        return directory.file("ca.pem")
    }
}
