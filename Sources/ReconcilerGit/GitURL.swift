import Foundation

/// The parts of a remote URL the agent needs: where to connect (for host-key checks) and
/// how to show it without secrets.
///
/// Understands `scheme://[user[:password]@]host[:port]/path`, scp-like `user@host:path`,
/// and local paths. Anything else is passed to libgit2 untouched.
struct GitURL: Equatable {
    var scheme: String
    var user: String?
    var password: String?
    var host: String
    var port: Int?
    /// Everything from the path on, verbatim.
    var rest: String
    /// Written as a plain path rather than a URL.
    var isPath = false

    /// A local path or `file://` URL: no network, no credentials.
    var isLocal: Bool { scheme == "file" }
    var isHTTP: Bool { scheme == "http" || scheme == "https" }
    var isSSH: Bool { scheme == "ssh" || scheme == "scp" }

    /// The port that will be dialled, for matching known_hosts entries.
    var effectivePort: Int {
        if let port { return port }
        switch scheme {
        case "ssh", "scp": return 22
        case "git": return 9418
        case "http": return 80
        default: return 443
        }
    }

    init?(_ text: String) {
        if text.hasPrefix("/") || text.hasPrefix(".") {
            self.init(scheme: "file", host: "", rest: text)
            isPath = true
            return
        }
        if let separator = text.firstRange(of: "://") {
            let scheme = text[..<separator.lowerBound].lowercased()
            let afterScheme = text[separator.upperBound...]
            let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
            var authority = afterScheme[..<authorityEnd]
            var user: String?
            var password: String?
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                authority = authority[authority.index(after: at)...]
                if let colon = userInfo.firstIndex(of: ":") {
                    user = String(userInfo[..<colon])
                    password = String(userInfo[userInfo.index(after: colon)...])
                } else {
                    user = String(userInfo)
                }
            }
            var host = String(authority)
            var port: Int?
            if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
                host = String(authority[..<colon])
                guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
                port = number
            }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            self.init(
                scheme: scheme, user: user?.removingPercentEncoding, password: password?.removingPercentEncoding,
                host: host, port: port, rest: String(afterScheme[authorityEnd...]))
            return
        }
        // scp-like: [user@]host:path, with no slash before the colon.
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
            let authority = text[..<colon]
            var user: String?
            var host = String(authority)
            if let at = authority.lastIndex(of: "@") {
                user = String(authority[..<at])
                host = String(authority[authority.index(after: at)...])
            }
            self.init(scheme: "scp", user: user, host: host, rest: String(text[colon...]))
            return
        }
        return nil
    }

    init(scheme: String, user: String? = nil, password: String? = nil, host: String, port: Int? = nil, rest: String) {
        self.scheme = scheme
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.rest = rest
    }

    /// The URL to give libgit2: the password removed (it goes in a header instead).
    var withoutPassword: String { render(password: nil) }

    /// The URL for people: any password replaced by `***`.
    var redacted: String { render(password: password == nil ? nil : "***") }

    private func render(password: String?) -> String {
        if scheme == "file" && host.isEmpty && isPath { return rest }
        var userInfo = ""
        if let user {
            userInfo = user
            if let password { userInfo += ":" + password }
            userInfo += "@"
        }
        if scheme == "scp" { return userInfo + host + rest }
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(userInfo)\(hostText)\(port.map { ":\($0)" } ?? "")\(rest)"
    }
}

/// Removes secrets from text that may quote them: libgit2 messages can echo a URL.
func redactingSecrets(_ text: String, secrets: [String]) -> String {
    var result = text
    for secret in secrets where secret.count >= 1 {
        result = result.replacing(secret, with: "***")
    }
    return redactingURLPasswords(result)
}

/// `scheme://user:password@` becomes `scheme://user:***@` anywhere in `text`.
func redactingURLPasswords(_ text: String) -> String {
    var output = ""
    var remaining = Substring(text)
    while let separator = remaining.firstRange(of: "://") {
        output += remaining[..<separator.upperBound]
        remaining = remaining[separator.upperBound...]
        let authorityEnd =
            remaining.firstIndex { $0 == "/" || $0 == " " || $0 == "'" || $0 == "\"" } ?? remaining.endIndex
        let authority = remaining[..<authorityEnd]
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            output += authority[...colon] + "***" + authority[at...]
            remaining = remaining[authorityEnd...]
        }
    }
    return output + remaining
}
