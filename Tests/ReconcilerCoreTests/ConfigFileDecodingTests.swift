import ReconcilerCore
import ReconcilerTesting
import Testing

/// `files:` and `reload:` of a Service: decoded with the file's bytes, every mistake reported
/// once at its field, and nothing ever written outside the container directory it names.
struct ConfigFileDecodingTests {
    static let files: [String: InMemoryTree.Item] = [
        "desired-state/proxy/Caddyfile": .file(Array(":80 {\n\trespond hello\n}\n".utf8)),
        "desired-state/proxy/headers": .file(Array("X-Frame-Options DENY\n".utf8)),
        "desired-state/proxy/huge": .file([UInt8](repeating: 0x61, count: ConfigFile.maximumSize + 1)),
    ]

    static func tree(_ yaml: String) -> InMemoryTree {
        var tree = InvalidCase(name: "", yaml: yaml, at: "", path: "", message: "").tree
        for (path, item) in files { tree = tree.with(path, item) }
        return tree
    }

    @Test("a service's files are decoded with their bytes, mode 0644 unless set, and its reload command")
    func decodesFilesAndReload() throws {
        let yaml = InvalidCase.service(
            "files:", "  - {source: desired-state/proxy/Caddyfile, target: /etc/caddy/Caddyfile}",
            "  - {source: desired-state/proxy/headers, target: /etc/caddy/headers, mode: \"0640\"}",
            "reload: [caddy, reload, --config, /etc/caddy/Caddyfile]")
        let load = DesiredStateLoader.load(from: Self.tree(yaml))
        let service = try #require(load.state?.services.first, "\(load.diagnostics)")
        #expect(service.files.map(\.target) == ["/etc/caddy/Caddyfile", "/etc/caddy/headers"])
        #expect(service.files.map(\.mode) == [0o644, 0o640])
        #expect(service.files.first?.contents == Array(":80 {\n\trespond hello\n}\n".utf8))
        #expect(service.reload == ["caddy", "reload", "--config", "/etc/caddy/Caddyfile"])
        #expect(service.files.first?.hostPath(service: "web") == "/var/lib/reconciler/files/web/etc+caddy/Caddyfile")
    }

    static let invalid: [InvalidCase] = [
        InvalidCase(
            name: "a missing file names the path",
            yaml: InvalidCase.service("files: [{source: desired-state/proxy/nope, target: /etc/caddy/Caddyfile}]"),
            at: "5:18", path: "files[0].source", message: "'desired-state/proxy/nope' does not exist in the repository"),
        InvalidCase(
            name: "a file outside the repository is refused",
            yaml: InvalidCase.service("files: [{source: /etc/shadow, target: /etc/caddy/Caddyfile}]"),
            at: "5:18", path: "files[0].source", message: "is absolute"),
        InvalidCase(
            name: "a file larger than 1 MiB is refused",
            yaml: InvalidCase.service("files: [{source: desired-state/proxy/huge, target: /etc/caddy/Caddyfile}]"),
            at: "5:18", path: "files[0].source", message: "files may be at most 1048576 bytes"),
        InvalidCase(
            name: "a relative target is refused",
            yaml: InvalidCase.service("files: [{source: desired-state/proxy/Caddyfile, target: etc/Caddyfile}]"),
            at: "5:57", path: "files[0].target", message: "must be an absolute path in the container"),
        InvalidCase(
            name: "a target climbing out with .. is refused",
            yaml: InvalidCase.service("files: [{source: desired-state/proxy/Caddyfile, target: /etc/../Caddyfile}]"),
            at: "5:57", path: "files[0].target", message: "no empty, '.' or '..' parts"),
        InvalidCase(
            name: "a target in the root directory is refused: it would mount over /",
            yaml: InvalidCase.service("files: [{source: desired-state/proxy/Caddyfile, target: /Caddyfile}]"),
            at: "5:57", path: "files[0].target", message: "must name a file inside a directory"),
        InvalidCase(
            name: "a target with a control character is refused",
            yaml: InvalidCase.service(
                "files: [{source: desired-state/proxy/Caddyfile, target: \"/etc/caddy/Cad\\tdyfile\"}]"),
            at: "5:57", path: "files[0].target", message: "contains a control character"),
        InvalidCase(
            name: "a target under /proc is refused",
            yaml: InvalidCase.service("files: [{source: desired-state/proxy/Caddyfile, target: /proc/sys/x}]"),
            at: "5:57", path: "files[0].target", message: "which the container runtime owns"),
        InvalidCase(
            name: "two files with one target are refused",
            yaml: InvalidCase.service(
                "files:", "  - {source: desired-state/proxy/Caddyfile, target: /etc/caddy/Caddyfile}",
                "  - {source: desired-state/proxy/headers, target: /etc/caddy/Caddyfile}"),
            at: "7:5", path: "files[1].target", message: "target '/etc/caddy/Caddyfile' is already used at"),
        InvalidCase(
            name: "a setuid mode is refused",
            yaml: InvalidCase.service(
                "files: [{source: desired-state/proxy/Caddyfile, target: /etc/caddy/Caddyfile, mode: \"4755\"}]"),
            at: "5:85", path: "files[0].mode", message: "octal permission bits from 0000 to 0777"),
        InvalidCase(
            name: "a mode that is not octal is refused",
            yaml: InvalidCase.service(
                "files: [{source: desired-state/proxy/Caddyfile, target: /etc/caddy/Caddyfile, mode: \"rw-r--r--\"}]"),
            at: "5:85", path: "files[0].mode", message: "octal permission bits"),
        InvalidCase(
            name: "a file without a target is reported at the item",
            yaml: InvalidCase.service("files: [{source: desired-state/proxy/Caddyfile}]"),
            at: "5:9", path: "files[0].target", message: "required key 'target' is missing"),
        InvalidCase(
            name: "a misspelt file key gets a suggestion",
            yaml: InvalidCase.service(
                "files: [{source: desired-state/proxy/Caddyfile, target: /etc/caddy/Caddyfile, mdoe: \"0644\"}]"),
            at: "5:79", path: "files[0].mdoe", message: "did you mean 'mode'?"),
        InvalidCase(
            name: "an empty reload command is refused",
            yaml: InvalidCase.service("reload: []"),
            at: "5:9", path: "reload", message: "the reload command must not be empty"),
    ]

    @Test(arguments: invalid)
    func reportsExactlyOneLocatedError(_ invalid: InvalidCase) {
        let load = DesiredStateLoader.load(from: Self.tree(invalid.yaml))
        #expect(load.state == nil)
        #expect(load.diagnostics.count == 1, "\(load.diagnostics.map(\.description))")
        guard let diagnostic = load.diagnostics.first else { return }
        #expect("\(diagnostic.location)" == "\(InvalidCase.file):\(invalid.at)", "\(diagnostic)")
        #expect(diagnostic.path == invalid.path, "\(diagnostic)")
        #expect(diagnostic.message.contains(invalid.message), "\(diagnostic)")
    }
}
