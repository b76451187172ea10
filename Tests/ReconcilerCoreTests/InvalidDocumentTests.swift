import ReconcilerCore
import ReconcilerTesting
import Testing

/// Every invalid document is rejected with exactly one diagnostic, at the right place, saying what is wrong.
struct InvalidDocumentTests {
    typealias Case = InvalidCase

    static let all =
        schema + types + yamlStructure + controlCharacters + ports + fields + images + names + units
        + crossDocument + replicas

    @Test(arguments: all)
    func reportsExactlyOneLocatedError(_ invalid: Case) {
        let load = DesiredStateLoader.load(from: invalid.tree)
        #expect(load.state == nil)
        #expect(load.hasErrors)
        #expect(load.diagnostics.count == 1, "\(load.diagnostics.map(\.description))")
        guard let diagnostic = load.diagnostics.first else { return }
        #expect("\(diagnostic.location)" == "\(Case.file):\(invalid.at)", "\(diagnostic)")
        #expect(diagnostic.path == invalid.path, "\(diagnostic)")
        #expect(diagnostic.message.contains(invalid.message), "\(diagnostic)")
        #expect(diagnostic.severity == .error)
    }

    @Test func theTableCoversAtLeastFortyFiveDocuments() {
        #expect(Self.all.count >= 45)
        #expect(Set(Self.all.map(\.name)).count == Self.all.count, "case names are unique")
    }

    static let schema: [Case] = [
        Case(
            name: "an unsupported apiVersion names the supported one",
            yaml: "apiVersion: reconciler/v2\nkind: Service\nname: web\nimage: {ref: x}\n",
            at: "1:13", path: "apiVersion", message: "unsupported apiVersion 'reconciler/v2'; supported: reconciler/v1"),
        Case(
            name: "a missing apiVersion is reported at the document",
            yaml: "kind: Service\nname: web\nimage: {ref: x}\n",
            at: "1:1", path: "apiVersion", message: "required key 'apiVersion' is missing"),
        Case(
            name: "a misspelt kind gets a suggestion",
            yaml: "apiVersion: reconciler/v1\nkind: Servic\nname: web\n",
            at: "2:7", path: "kind",
            message: "unknown kind 'Servic'; expected Service or Unit (did you mean 'Service'?)"),
        Case(
            name: "a missing kind is reported at the document",
            yaml: "apiVersion: reconciler/v1\nname: web\n",
            at: "1:1", path: "kind", message: "required key 'kind' is missing; expected Service or Unit"),
        Case(
            name: "a document that is a list is refused",
            yaml: "- apiVersion: reconciler/v1\n",
            at: "1:1", path: "", message: "expected a mapping with apiVersion, kind and name, found a list"),
        Case(
            name: "a service without a name is reported at the document",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nimage: {ref: x}\n",
            at: "1:1", path: "name", message: "required key 'name' is missing"),
        Case(
            name: "a service without an image is reported at the document",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\n",
            at: "1:1", path: "image", message: "required key 'image' is missing"),
        Case(
            name: "an unknown key close to a known one gets a suggestion",
            yaml: Case.service("prots: [\"80:80\"]"),
            at: "5:1", path: "prots", message: "unknown key 'prots'; did you mean 'ports'?"),
        Case(
            name: "an unknown key far from every known one lists the allowed keys",
            yaml: Case.service("zzzzzz: 3"),
            at: "5:1", path: "zzzzzz", message: "unknown key 'zzzzzz'; expected one of apiVersion, kind, name"),
        Case(
            name: "an unknown nested key is reported with its full path",
            yaml: Case.service("health: {http: \"http://127.0.0.1/\", timout: 5s}"),
            at: "5:37", path: "health.timout", message: "unknown key 'timout'; did you mean 'timeout'?"),
    ]

    static let types: [Case] = [
        Case(
            name: "a mapping where a list is expected",
            yaml: Case.service("ports: {http: 80}"),
            at: "5:8", path: "ports", message: "expected a list of strings, found a mapping"),
        Case(
            name: "a string where a list is expected",
            yaml: Case.service("command: run.sh"),
            at: "5:10", path: "command", message: "expected a list of strings, found 'run.sh'"),
        Case(
            name: "a list where a string is expected",
            yaml: Case.service("description: [a, b]"),
            at: "5:14", path: "description", message: "expected a string, found a list"),
        Case(
            name: "a mapping as an environment value",
            yaml: Case.service("env: {A: {b: 1}}"),
            at: "5:10", path: "env.A", message: "expected a string, found a mapping"),
        Case(
            name: "a null environment value",
            yaml: Case.service("env: {A: ~}"),
            at: "5:10", path: "env.A", message: "expected a string, found no value (null)"),
        Case(
            name: "an empty value where a string is required",
            yaml: Case.service("description:"),
            at: "5:13", path: "description", message: "expected a string, found no value (null)"),
        Case(
            name: "a single host name instead of a list",
            yaml: Case.service("hosts: {names: web1}"),
            at: "5:16", path: "hosts.names", message: "expected a list of strings, found 'web1'"),
        Case(
            name: "yes is not a boolean",
            yaml: Case.unit("source: desired-state/files/backup.timer", "enable: yes"),
            at: "5:9", path: "enable",
            message: "'yes' is not a boolean here (YAML versions disagree on it); write true or false"),
        Case(
            name: "a quoted true is a string, not a boolean",
            yaml: Case.unit("source: desired-state/files/backup.timer", "enable: \"true\""),
            at: "5:9", path: "enable", message: "expected true or false, found the string 'true'"),
    ]

    static let yamlStructure: [Case] = [
        Case(
            name: "a duplicate key is reported at the second occurrence",
            yaml: Case.service("name: other"),
            at: "5:1", path: "name", message: "duplicate key 'name': it is already set on line 3"),
        Case(
            name: "a duplicate nested key names the first's line",
            yaml: Case.service("env:", "  A: one", "  B: two", "  A: three"),
            at: "8:3", path: "env.A", message: "duplicate key 'A': it is already set on line 6"),
        Case(
            name: "an anchor is refused",
            yaml: Case.service("env: &common {A: b}"),
            at: "5:6", path: "env", message: "anchors and aliases (&common, *common) are not supported"),
        Case(
            name: "an alias without an anchor is refused",
            yaml: Case.service("env: *common"),
            at: "5:6", path: "", message: "aliases (*name) are not supported"),
        Case(
            name: "malformed YAML gives the parser's position and problem",
            yaml: Case.service("ports: [\"80:80\""),
            at: "6:1", path: "", message: "invalid YAML: did not find expected ',' or ']'"),
        Case(
            name: "a control character in the stream is a read error",
            yaml: Case.service("description: a\u{7}b"),
            at: "5:15", path: "", message: "cannot read YAML: control characters are not allowed"),
    ]

    static let controlCharacters: [Case] = [
        Case(
            name: "a line feed in an environment value would inject a line",
            yaml: Case.service("env: {A: \"x\\nExecStartPre=/bin/evil\"}"),
            at: "5:10", path: "env.A",
            message: "contains a control character (U+000A) that would inject lines into the unit file"),
        Case(
            name: "a carriage return in a command item",
            yaml: Case.service("command: [\"a\\rb\"]"),
            at: "5:11", path: "command[0]", message: "contains a control character (U+000D)"),
        Case(
            name: "a tab in the description",
            yaml: Case.service("description: \"a\\tb\""),
            at: "5:14", path: "description",
            message: "contains a control character (U+0009) that is not allowed in values written to unit files"),
        Case(
            name: "a NUL in a build argument",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {build: {args: {A: \"x\\0\"}}}\n",
            at: "4:27", path: "image.build.args.A", message: "contains a control character (U+0000)"),
        Case(
            name: "an environment variable name must be an identifier",
            yaml: Case.service("env: {1A: x}"),
            at: "5:7", path: "env.1A", message: "'1A' is not a valid variable name"),
        Case(
            name: "a build argument name must be an identifier",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {build: {args: {A-B: x}}}\n",
            at: "4:24", path: "image.build.args.A-B", message: "'A-B' is not a valid variable name"),
    ]

    static let ports: [Case] = [
        Case(
            name: "a host port out of range quotes the value and the range",
            yaml: Case.service("ports: [\"70000:80\"]"),
            at: "5:9", path: "ports[0]", message: "port 70000 in '70000:80' is out of range; expected 1-65535"),
        Case(
            name: "container port zero is out of range",
            yaml: Case.service("ports: [\"8080:0\"]"),
            at: "5:9", path: "ports[0]", message: "port 0 in '8080:0' is out of range; expected 1-65535"),
        Case(
            name: "the second port of a list is reported with its index",
            yaml: Case.service("ports: [\"80:80\", \"http:80\"]"),
            at: "5:18", path: "ports[1]", message: "port 'http' in 'http:80' is not a number"),
        Case(
            name: "an unknown protocol",
            yaml: Case.service("ports: [\"8080:80/sctp\"]"),
            at: "5:9", path: "ports[0]", message: "unknown protocol 'sctp' in port '8080:80/sctp'; expected tcp or udp"),
        Case(
            name: "an invalid host address",
            yaml: Case.service("ports: [\"300.1.1.1:80:80\"]"),
            at: "5:9", path: "ports[0]", message: "'300.1.1.1' in port '300.1.1.1:80:80' is not a valid IPv4 address"),
        Case(
            name: "a port without a container side",
            yaml: Case.service("ports: [\"8080\"]"),
            at: "5:9", path: "ports[0]", message: "port '8080' is not of the form [ip:]hostPort:containerPort"),
        Case(
            name: "the same host port twice in one service",
            yaml: Case.service("ports: [\"8080:80\", \"8080:81\"]"),
            at: "5:20", path: "ports[1]",
            message: "host port 8080/tcp is already published by this service at desired-state/app.yaml:5:9"),
    ]

    static let fields: [Case] = [
        Case(
            name: "a volume target must be absolute",
            yaml: Case.service("volumes: [\"data:data\"]"),
            at: "5:11", path: "volumes[0]",
            message: "volume target 'data' must be an absolute path inside the container"),
        Case(
            name: "a volume source must be a name or an absolute path",
            yaml: Case.service("volumes: [\"../data:/data\"]"),
            at: "5:11", path: "volumes[0]",
            message: "volume source '../data' is neither an absolute host path nor a volume name"),
        Case(
            name: "an unknown volume option",
            yaml: Case.service("volumes: [\"data:/data:rx\"]"),
            at: "5:11", path: "volumes[0]", message: "unknown volume option 'rx' in 'data:/data:rx'; expected ro or rw"),
        Case(
            name: "an env file must be an absolute host path",
            yaml: Case.service("envFiles: [secrets.env]"),
            at: "5:12", path: "envFiles[0]", message: "env file 'secrets.env' must be an absolute path on the host"),
        Case(
            name: "a user with a space",
            yaml: Case.service("user: \"10 00\""),
            at: "5:7", path: "user", message: "user '10 00' is not of the form"),
        Case(
            name: "a misspelt restart policy gets a suggestion",
            yaml: Case.service("restart: allways"),
            at: "5:10", path: "restart",
            message: "unknown restart policy 'allways'; expected always, on-failure, no (did you mean 'always'?)"),
        Case(
            name: "an unknown network names the two there are",
            yaml: Case.service("network: hots"),
            at: "5:10", path: "network", message: "unknown network 'hots'; expected bridge or host"),
        Case(
            name: "a host-network service cannot also publish ports",
            yaml: Case.service("ports: [\"80:80\"]", "network: host"),
            at: "6:10", path: "network", message: "a service on the host network cannot publish ports"),
        Case(
            name: "two health probes",
            yaml: Case.service("health: {http: \"http://127.0.0.1/\", tcp: 80}"),
            at: "5:9", path: "health", message: "set exactly one probe: http, tcp or command (found http and tcp)"),
        Case(
            name: "an https health URL",
            yaml: Case.service("health: {http: \"https://127.0.0.1/\"}"),
            at: "5:16", path: "health.http", message: "health URL 'https://127.0.0.1/' must start with http://"),
        Case(
            name: "a duration without a unit",
            yaml: Case.service("health: {tcp: 80, timeout: 60}"),
            at: "5:28", path: "health.timeout", message: "'60' is not a duration; expected whole numbers with units"),
        Case(
            name: "a duration over a day",
            yaml: Case.service("health: {tcp: 80, timeout: 25h}"),
            at: "5:28", path: "health.timeout",
            message: "duration '25h' is out of range; expected more than 0 and at most 24h"),
        Case(
            name: "a health TCP port out of range",
            yaml: Case.service("health: {tcp: 0}"),
            at: "5:15", path: "health.tcp", message: "port 0 is out of range; expected 1-65535"),
    ]

    static let images: [Case] = [
        Case(
            name: "both build and ref",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {ref: x, build: {}}\n",
            at: "4:8", path: "image", message: "set exactly one of build or ref, not both"),
        Case(
            name: "neither build nor ref",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {}\n",
            at: "4:8", path: "image", message: "set exactly one of build (to build from the repository) or ref"),
        Case(
            name: "a build context that does not exist",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {build: {context: nope}}\n",
            at: "4:26", path: "image.build.context", message: "'nope' does not exist in the repository"),
        Case(
            name: "an absolute build context",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {build: {context: /srv}}\n",
            at: "4:26", path: "image.build.context", message: "'/srv' is absolute; paths in manifests are relative"),
        Case(
            name: "a build context above the repository",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {build: {context: app/../..}}\n",
            at: "4:26", path: "image.build.context", message: "'app/../..' resolves outside the repository"),
        Case(
            name: "a build context whose symlink leaves the repository",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {build: {context: src}}\n",
            at: "4:26", path: "image.build.context",
            message: "'src' resolves outside the repository through the symlink 'src' -> '/usr/src'",
            extra: ["src": .symlink("/usr/src")]),
        Case(
            name: "a context without the default Dockerfile",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {build: {context: app}}\n",
            at: "4:16", path: "image.build.dockerfile",
            message:
                "'app/Dockerfile' does not exist in the repository (the default Dockerfile inside the build context"),
        Case(
            name: "a dockerfile that is a directory",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {build: {dockerfile: app}}\n",
            at: "4:29", path: "image.build.dockerfile", message: "'app' is a directory; expected a regular file"),
        Case(
            name: "an image reference with a space",
            yaml: "apiVersion: reconciler/v1\nkind: Service\nname: web\nimage: {ref: \"nginx 1\"}\n",
            at: "4:14", path: "image.ref", message: "image reference 'nginx 1' must be non-empty and without spaces"),
    ]
}
