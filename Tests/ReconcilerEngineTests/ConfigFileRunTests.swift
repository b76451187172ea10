import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// Files from git on a host: written into the reconciler's tree, a change to one reloads its
/// service, a failed reload rolls the release back, and a file gone from git leaves the host.
struct ConfigFileRunTests {
    static let path = ConfigFile.hostDirectory + "/proxy/etc+caddy/Caddyfile"

    static func proxy(_ caddyfile: String, reload: Bool = true, withFile: Bool = true) -> [String: String] {
        var files = [
            "desired-state/proxy.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: proxy
            image: {ref: "docker.io/library/caddy:2.6"}
            ports: ["8443:443"]
            \(withFile ? "files: [{source: desired-state/proxy/Caddyfile, target: /etc/caddy/Caddyfile}]" : "")
            \(reload ? "reload: [caddy, reload, --config, /etc/caddy/Caddyfile]" : "")

            """
        ]
        if withFile { files["desired-state/proxy/Caddyfile"] = caddyfile }
        return files
    }

    static func contents(_ engine: EngineFixture) -> String? {
        engine.host.configFiles[path].map { String(decoding: $0.contents, as: UTF8.self) }
    }

    @Test("a changed file is written and its service reloaded, never restarted")
    func changedFileReloads() throws {
        let engine = EngineFixture()
        engine.repository.commit(Self.proxy(":80 {\n}\n"))
        try engine.once()
        #expect(Self.contents(engine) == ":80 {\n}\n")
        #expect(engine.host.configFiles[Self.path]?.mode == 0o644)
        engine.host.clearOperations()

        engine.repository.commit(Self.proxy(":81 {\n}\n"))
        let report = try engine.once()

        #expect(report.actions.map(\.kind) == [.writeFile, .reload])
        #expect(engine.host.operations == ["write \(Self.path)", "reload proxy.service"])
        #expect(Self.contents(engine) == ":81 {\n}\n")
        #expect(engine.host.isActive("proxy.service"))
    }

    @Test("without reload: a changed file restarts the service")
    func changedFileWithoutReloadRestarts() throws {
        let engine = EngineFixture()
        engine.repository.commit(Self.proxy(":80 {\n}\n", reload: false))
        try engine.once()
        engine.host.clearOperations()

        engine.repository.commit(Self.proxy(":81 {\n}\n", reload: false))
        try engine.once()

        #expect(engine.host.operations == ["write \(Self.path)", "restart proxy.service"])
    }

    @Test("a reload that fails rolls the release back to the previous file")
    func failedReloadRollsBack() throws {
        let engine = EngineFixture()
        let good = engine.repository.commit(Self.proxy(":80 {\n}\n"))
        try engine.once()
        engine.host.failReload("proxy.service", "Error: adapting config using caddyfile: unknown directive")

        engine.repository.commit(Self.proxy(":80 {\n\tnonsense\n}\n"))
        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == .apply)
        #expect(error?.message.contains("unknown directive") == true)
        #expect(error?.message.contains("rolled back to \(good.prefix(12))") == true)
        #expect(Self.contents(engine) == ":80 {\n}\n")
        #expect(engine.host.isActive("proxy.service"))
    }

    @Test("a plain unit with ExecReload= and files from git is reloaded when only a file changed")
    func plainUnitReloads() throws {
        let path = ConfigFile.hostDirectory + "/unit+caddy.service/etc+caddy/Caddyfile"
        func files(_ caddyfile: String) -> [String: String] {
            [
                "desired-state/caddy.yaml": """
                apiVersion: reconciler/v1
                kind: Unit
                name: caddy.service
                files: [{source: desired-state/caddy/Caddyfile, target: /etc/caddy/Caddyfile}]
                contents: |
                  [Service]
                  ExecStart=/usr/bin/python3 \(path)
                  ExecReload=/usr/bin/python3 \(path) --reload
                  [Install]
                  WantedBy=multi-user.target

                """,
                "desired-state/caddy/Caddyfile": caddyfile,
            ]
        }
        let engine = EngineFixture()
        engine.repository.commit(files(":80 {\n}\n"))
        try engine.once()
        #expect(engine.host.configFiles[path]?.contents == Array(":80 {\n}\n".utf8))
        engine.host.clearOperations()

        engine.repository.commit(files(":81 {\n}\n"))
        try engine.once()

        #expect(engine.host.operations == ["write \(path)", "reload caddy.service"])
    }

    @Test("a file removed from git is removed from the host, and the service restarted without its mount")
    func removedFileLeaves() throws {
        let engine = EngineFixture()
        engine.repository.commit(Self.proxy(":80 {\n}\n"))
        try engine.once()

        engine.repository.commit(Self.proxy("", withFile: false))
        let report = try engine.once()

        #expect(engine.host.configFiles.isEmpty)
        #expect(report.actions.map(\.kind).contains(.removeFile))
        #expect(report.actions.map(\.kind).contains(.restart))
    }
}
