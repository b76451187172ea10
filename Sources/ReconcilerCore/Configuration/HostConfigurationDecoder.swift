internal import Yams

/// Reads `config.yaml` with the same strict YAML reading as the desired state: UTF-8 only,
/// no anchors or aliases, no duplicate keys, unknown keys reported with "did you mean",
/// booleans only as plain `true`/`false`, control characters refused, and every problem at
/// once as `file:line:column: error: field: message`. A typo never falls back to a default.
public enum HostConfigurationDecoder {
    /// Why a configuration file was refused: every problem found, in file order.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var diagnostics: [Diagnostic]
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// The top-level settings.
    static let topLevelKeys = [
        "repository", "host", "runtime", "stateDirectory", "unitDirectory", "pollInterval", "allowEmpty",
        "retainReleases", "historyLimit",
        "ageIdentity",
        "metrics", "notifications",
        "fleet",
    ]

    /// Applies the settings in `text` (the file at `file`) on top of `base`.
    public static func decode(_ text: String, file: String, base: HostConfiguration) throws(Failure)
        -> HostConfiguration
    {
        try decode(bytes: Array(text.utf8), file: file, base: base)
    }

    /// Applies the settings in a file's bytes on top of `base`.
    public static func decode(bytes: [UInt8], file: String, base: HostConfiguration) throws(Failure)
        -> HostConfiguration
    {
        let yaml = YAMLFile(bytes: bytes, file: file)
        guard yaml.diagnostics.isEmpty else { throw Failure(diagnostics: yaml.diagnostics) }
        guard let root = yaml.documents.first else { return base }
        var reader = ConfigurationReader(file: file, configuration: base)
        if yaml.documents.count > 1, let extra = yaml.documents.dropFirst().first {
            reader.decoder.error(
                at: extra, .root, "the configuration is one YAML document; remove the '---' and what follows")
        }
        reader.read(root)
        let errors = reader.decoder.diagnostics
        guard errors.isEmpty else { throw Failure(diagnostics: errors.sorted { $0.location < $1.location }) }
        return reader.configuration
    }
}

/// One pass over a configuration document, collecting every problem.
struct ConfigurationReader {
    var decoder: NodeDecoder
    var configuration: HostConfiguration

    init(file: String, configuration: HostConfiguration) {
        decoder = NodeDecoder(file: file, tree: NoFiles())
        self.configuration = configuration
    }

    mutating func read(_ root: Node) {
        guard let fields = decoder.fields(of: root, at: .root, allowed: HostConfigurationDecoder.topLevelKeys) else {
            return
        }
        if let node = fields["repository"] { repository(node, at: .root.key("repository")) }
        if let node = fields["host"] { host(node, at: .root.key("host")) }
        if let node = fields["runtime"], let text = decoder.string(node, at: .root.key("runtime")) {
            if let runtime = ContainerRuntime(rawValue: text) {
                configuration.runtime = runtime
            } else {
                let names = ContainerRuntime.allCases.map(\.rawValue)
                let hint = KeySuggestion.closest(to: text, among: names).map { "; did you mean '\($0)'?" } ?? ""
                decoder.error(at: node, .root.key("runtime"), "expected podman or docker, found '\(text)'\(hint)")
            }
        }
        if let node = fields["stateDirectory"], let path = absolutePath(node, at: .root.key("stateDirectory")) {
            configuration.stateDirectory = path
        }
        if let node = fields["unitDirectory"], let path = absolutePath(node, at: .root.key("unitDirectory")) {
            configuration.unitDirectory = path
        }
        if let node = fields["ageIdentity"], let path = absolutePath(node, at: .root.key("ageIdentity")) {
            configuration.ageIdentity = path
        }
        if let node = fields["pollInterval"], let seconds = seconds(node, at: .root.key("pollInterval")) {
            configuration.pollInterval = seconds
        }
        if let node = fields["allowEmpty"], let value = decoder.bool(node, at: .root.key("allowEmpty")) {
            configuration.allowEmpty = value
        }
        if let node = fields["retainReleases"], let count = count(node, at: .root.key("retainReleases"), minimum: 0) {
            configuration.retainReleases = count
        }
        if let node = fields["metrics"] { metrics(node, at: .root.key("metrics")) }
        if let node = fields["notifications"] { notifications(node, at: .root.key("notifications")) }
        if let node = fields["fleet"] { fleet(node, at: .root.key("fleet")) }
        if let node = fields["historyLimit"], let count = count(node, at: .root.key("historyLimit"), minimum: 1) {
            configuration.historyLimit = count
        }
    }

    /// A whole number no smaller than `minimum`.
    private mutating func count(_ node: Node, at path: FieldPath, minimum: Int) -> Int? {
        guard let text = decoder.string(node, at: path, expected: "a whole number") else { return nil }
        guard let value = Int(text), value >= minimum, value <= 1_000_000 else {
            decoder.error(at: node, path, "expected a whole number from \(minimum) to 1000000, found '\(text)'")
            return nil
        }
        return value
    }

    /// `host: {name, labels}`.
    private mutating func host(_ node: Node, at path: FieldPath) {
        guard let fields = decoder.fields(of: node, at: path, allowed: ["name", "labels"]) else { return }
        if let name = fields["name"], let text = decoder.string(name, at: path.key("name")) {
            if text.isEmpty || text.contains(where: { $0 == " " || $0 == "/" }) {
                decoder.error(at: name, path.key("name"), "expected a host name without spaces or '/', found '\(text)'")
            } else {
                configuration.hostName = text
            }
        }
        if let labels = fields["labels"], let map = decoder.stringMap(labels, at: path.key("labels")) {
            configuration.labels = map
        }
    }

    /// A non-empty absolute path.
    mutating func absolutePath(_ node: Node, at path: FieldPath) -> String? {
        guard let text = decoder.string(node, at: path, expected: "an absolute path") else { return nil }
        guard text.hasPrefix("/") else {
            decoder.error(at: node, path, "expected an absolute path (starting with /), found '\(text)'")
            return nil
        }
        return text
    }

    /// A duration (`30s`, `5m`, `1h`) in seconds.
    mutating func seconds(_ node: Node, at path: FieldPath) -> Double? {
        guard let text = decoder.string(node, at: path, expected: "a duration such as 30s, 5m or 1h") else {
            return nil
        }
        switch DurationSyntax.parse(text) {
        case .success(let duration):
            let parts = duration.components
            return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        case .failure(let problem):
            decoder.error(at: node, path, problem.message)
            return nil
        }
    }
}

/// The configuration names no repository files: a tree with nothing in it.
struct NoFiles: RepositoryTree {
    func entry(at path: String) -> RepositoryEntry? { nil }
    func children(of path: String) throws -> [String] { [] }
    func contents(of path: String) throws -> [UInt8] { [] }
    func files(under path: String) throws -> [(path: String, id: String)] { [] }
}
