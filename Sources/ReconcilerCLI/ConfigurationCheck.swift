import Foundation
import ReconcilerCore
import ReconcilerGit
import ReconcilerPOSIX

/// `reconciler config check`: what can be checked about a host configuration on the host
/// itself, without the network or the repository, and the effective settings to show.
struct ConfigurationCheck {
    /// One problem found, on a field of the configuration.
    struct Finding: Encodable, Equatable, CustomStringConvertible {
        var severity: Diagnostic.Severity
        /// The configuration file, when one was read; nil when every value came from defaults and flags.
        var file: String?
        var line: Int?
        var column: Int?
        var field: String
        var message: String

        var description: String {
            var place = file ?? "(defaults and flags)"
            if let line, let column { place += ":\(line):\(column)" }
            return "\(place): \(severity.rawValue): \(field.isEmpty ? "" : "\(field): ")\(message)"
        }
    }

    var configuration: HostConfiguration
    var file: String?
    /// Folders searched for the container runtime's program, as in PATH.
    var searchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// Every problem found, in field order.
    func findings() -> [Finding] {
        var found: [Finding] = []
        func report(_ severity: Diagnostic.Severity, _ field: String, _ message: String) {
            found.append(Finding(severity: severity, file: file, field: field, message: message))
        }
        let repository = configuration.repository
        if let url = repository.url {
            if let problem = Self.urlProblem(url) { report(.error, "repository.url", problem) }
        } else {
            report(.error, "repository.url", "no repository is configured; set repository.url or pass --repo")
        }
        let credentials = repository.credentials
        func check(_ credentials: GitCredentials, at field: String) {
            let secrets: [(String, String?)] = [
                ("passwordFile", credentials.passwordFile), ("sshKeyFile", credentials.sshKeyFile),
                ("sshKeyPassphraseFile", credentials.sshKeyPassphraseFile),
            ]
            for (key, path) in secrets {
                guard let path else { continue }
                if let problem = Self.secretFileProblem(path) { report(.error, "\(field).\(key)", problem) }
            }
            for (key, path) in [("knownHostsFile", credentials.knownHostsFile), ("caFile", credentials.caFile)] {
                guard let path else { continue }
                if let problem = Self.readableFileProblem(path) { report(.error, "\(field).\(key)", problem) }
            }
        }
        check(credentials, at: "repository.credentials")
        if let policy = repository.signaturePolicy {
            let key = policy.kind == .ssh ? "sshAllowedSigners" : "openPGPKeyring"
            if let problem = Self.readableFileProblem(policy.path) {
                report(.error, "repository.signers.\(key)", problem)
            }
        }
        if let reports = configuration.fleet?.reports {
            if let problem = Self.urlProblem(reports.url) { report(.error, "fleet.reports.url", problem) }
            if let own = reports.credentials { check(own, at: "fleet.reports.credentials") }
        }
        if configuration.fleet != nil, let problem = FleetRefs.hostNameProblem(configuration.hostName) {
            report(.error, "host.name", problem + "; fleet: reports and rings need it")
        }
        if credentials.passwordFile != nil, repository.url?.hasPrefix("http://") == true,
            !credentials.allowInsecureHTTP
        {
            report(
                .error, "repository.credentials.allowInsecureHTTP",
                "a password over plain http:// is refused; use https:// or set allowInsecureHTTP: true")
        }
        // Optional until a commit has secrets, which this host would then refuse.
        // An existing identity is judged by the rule the agent applies before a commit with
        // secrets (regular file, owner-only mode, owned by the agent's user).
        if FileManager.default.fileExists(atPath: configuration.ageIdentity) {
            do {
                try AgeSecretChecker().checkIdentity(at: configuration.ageIdentity)
            } catch {
                report(.error, "ageIdentity", error.description)
            }
        } else {
            report(
                .warning, "ageIdentity",
                "\(configuration.ageIdentity) does not exist, so commits with secrets will be refused; "
                    + "create it with age-keygen -o \(configuration.ageIdentity) if this host needs secrets")
        }
        if let problem = Self.directoryProblem(configuration.stateDirectory, mayBeCreated: true) {
            report(.warning, "stateDirectory", problem)
        }
        if let problem = Self.directoryProblem(configuration.unitDirectory, mayBeCreated: false) {
            report(.error, "unitDirectory", problem)
        }
        let program = configuration.runtime.rawValue
        if !searchPath.contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }) {
            report(
                .error, "runtime",
                "\(program) is not installed (not found in \(searchPath.joined(separator: ":"))); "
                    + "install it (apt-get install \(program == "docker" ? "docker.io" : "podman")) or set runtime")
        }
        return found
    }

    /// The effective settings, as `KEY: VALUE` pairs in a fixed order. Credential files are
    /// named, never read, and a password in the URL is hidden.
    var settings: [(key: String, value: String)] {
        let repository = configuration.repository
        var pairs: [(String, String)] = [
            ("repository.url", repository.url.map(URLRedaction.shown) ?? "(none)")
        ]
        switch repository.reference {
        case .branch(let name): pairs.append(("repository.branch", name))
        case .tag(let name): pairs.append(("repository.tag", name))
        case .commit(let id): pairs.append(("repository.commit", id))
        }
        pairs.append(("repository.path", repository.path))
        pairs.append(("repository.timeout", Self.seconds(repository.timeout)))
        if let fastForward = repository.requireFastForward {
            pairs.append(("repository.requireFastForward", "\(fastForward)"))
        }
        let credentials = repository.credentials
        let named: [(String, String?)] = [
            ("username", credentials.username), ("passwordFile", credentials.passwordFile),
            ("sshKeyFile", credentials.sshKeyFile), ("sshKeyPassphraseFile", credentials.sshKeyPassphraseFile),
            ("knownHostsFile", credentials.knownHostsFile), ("caFile", credentials.caFile),
        ]
        for (key, value) in named { if let value { pairs.append(("repository.credentials.\(key)", value)) } }
        if credentials.allowInsecureHTTP { pairs.append(("repository.credentials.allowInsecureHTTP", "true")) }
        if let policy = repository.signaturePolicy {
            pairs.append(
                ("repository.signers.\(policy.kind == .ssh ? "sshAllowedSigners" : "openPGPKeyring")", policy.path))
        }
        if let reports = configuration.fleet?.reports {
            pairs.append(("fleet.reports.url", URLRedaction.shown(reports.url)))
            let credentials = reports.credentials.map { _ in "its own" } ?? "repository.credentials"
            pairs.append(("fleet.reports.credentials", credentials))
        }
        pairs.append(("host.name", configuration.hostName))
        for (key, value) in configuration.labels.sorted(by: { $0.key < $1.key }) {
            pairs.append(("host.labels.\(key)", value))
        }
        pairs += [
            ("runtime", configuration.runtime.rawValue), ("ageIdentity", configuration.ageIdentity),
            ("stateDirectory", configuration.stateDirectory),
            ("unitDirectory", configuration.unitDirectory), ("pollInterval", Self.seconds(configuration.pollInterval)),
            ("allowEmpty", "\(configuration.allowEmpty)"), ("retainReleases", "\(configuration.retainReleases)"),
            ("historyLimit", "\(configuration.historyLimit)"),
        ]
        if !configuration.metricsEnabled {
            pairs.append(("metrics.enabled", "false"))
        } else if let textfile = configuration.metricsTextfile {
            pairs.append(("metrics.textfile", textfile))
        }
        // A webhook URL may carry its token in the path: only scheme and host are shown.
        for (index, webhook) in configuration.webhooks.enumerated() {
            let events = webhook.events.map(\.rawValue).sorted().joined(separator: ",")
            pairs.append(("notifications.webhooks[\(index)].url", webhook.redactedURL))
            pairs.append(("notifications.webhooks[\(index)].events", events))
        }
        return pairs
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }

    /// A path, scp-like `user@host:path`, or `file|git|ssh|http|https://host/...`.
    static func urlProblem(_ url: String) -> String? {
        if url.hasPrefix("/") { return nil }
        if let range = url.range(of: "://") {
            let scheme = url[..<range.lowerBound].lowercased()
            guard ["file", "git", "ssh", "http", "https"].contains(scheme) else {
                return
                    "unknown scheme '\(scheme)'; expected a path or a file://, git://, ssh://, http:// or https:// URL"
            }
            let rest = url[range.upperBound...]
            if scheme != "file" && (rest.isEmpty || rest.hasPrefix("/")) {
                return "'\(URLRedaction.shown(url))' names no server"
            }
            return nil
        }
        if let colon = url.firstIndex(of: ":"), url[..<colon].contains("@") { return nil }
        return
            "'\(URLRedaction.shown(url))' is neither an absolute path nor a URL; expected e.g. /srv/desired.git or https://git.example/ops.git"
    }

    /// A secret file must exist, be a regular file and be readable by its owner only.
    static func secretFileProblem(_ path: String) -> String? {
        if let problem = readableFileProblem(path) { return problem }
        var info = stat()
        guard stat(path, &info) == 0 else { return "cannot stat \(path): \(String(cString: strerror(errno)))" }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            return
                "\(path) has mode \(String(mode, radix: 8)), so other users can read the secret; run chmod 600 \(path)"
        }
        return nil
    }

    static func readableFileProblem(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "\(path) does not exist"
        }
        if isDirectory.boolValue { return "\(path) is a folder, expected a file" }
        guard FileManager.default.isReadableFile(atPath: path) else { return "\(path) is not readable" }
        return nil
    }

    static func directoryProblem(_ path: String, mayBeCreated: Bool) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return isDirectory.boolValue ? nil : "\(path) is not a folder"
        }
        return mayBeCreated
            ? "\(path) does not exist yet; the first run creates it"
            : "\(path) does not exist; create it or set another folder"
    }
}
