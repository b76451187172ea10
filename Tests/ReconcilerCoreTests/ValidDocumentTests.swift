import ReconcilerCore
import ReconcilerTesting
import Testing

/// Valid manifests decode to exactly the model they describe.
struct ValidDocumentTests {
    /// The example of DESIGN.md, "Desired state, schema v1".
    static let designExample = """
        # desired-state/blog.yaml
        apiVersion: reconciler/v1
        kind: Service              # a container supervised by a systemd unit
        name: blog                 # -> blog.service; must be a valid unit name stem
        description: Flaskr blog
        hosts: {names: [web1], labels: {role: web}}   # optional; default: every host
        image:
          build: {context: ., dockerfile: Dockerfile, args: {BASE: "python:3.12-slim"}}
          # or: ref: registry.example/blog:1.4   (pulled)
        ports: ["8080:8080"]
        env: {FLASKR_DATABASE: /data/flaskr.sqlite}
        envFiles: [/etc/reconciler/secrets/blog.env]   # host-side secrets, never in git, never logged
        volumes: ["blog-data:/data"]
        user: "1000:1000"
        after: []                  # ordering/dependencies on other services
        restart: always
        health: {http: "http://127.0.0.1:8080/", timeout: 60s}
        ---
        apiVersion: reconciler/v1
        kind: Unit                 # a plain systemd unit shipped from the repo (timers, mounts, ...)
        name: blog-backup.timer
        source: desired-state/files/blog-backup.timer   # or inline `contents:`
        enable: true

        """

    static let timer = "[Timer]\nOnCalendar=*-*-* 03:00:00\n\n[Install]\nWantedBy=timers.target\n"

    static func repository(_ manifests: [String: String]) -> InMemoryTree {
        var tree = InMemoryTree(["Dockerfile": "FROM scratch\n", "desired-state/files/blog-backup.timer": timer])
        for (path, text) in manifests { tree = tree.with(path, text: text) }
        return tree
    }

    @Test func theDesignExampleDecodesToTheExpectedModel() throws {
        let load = DesiredStateLoader.load(from: Self.repository(["desired-state/blog.yaml": Self.designExample]))
        #expect(load.diagnostics.isEmpty, "\(load.diagnostics)")
        let state = try #require(load.state)
        let file = "desired-state/blog.yaml"
        let blog = ServiceSpec(
            name: "blog",
            description: "Flaskr blog",
            hosts: HostSelector(names: ["web1"], labels: ["role": "web"]),
            image: .build(BuildSpec(context: ".", dockerfile: "Dockerfile", arguments: ["BASE": "python:3.12-slim"])),
            ports: [PortMapping(hostPort: 8080, containerPort: 8080)],
            environment: ["FLASKR_DATABASE": "/data/flaskr.sqlite"],
            environmentFiles: ["/etc/reconciler/secrets/blog.env"],
            volumes: [VolumeMount(source: "blog-data", target: "/data")],
            user: "1000:1000",
            restart: .always,
            health: HealthCheck(probe: .http(url: "http://127.0.0.1:8080/"), timeout: .seconds(60)),
            location: SourceLocation(file: file, line: 2, column: 1))
        let timer = UnitSpec(
            name: "blog-backup.timer", contents: Self.timer, sourcePath: "desired-state/files/blog-backup.timer",
            enable: true, location: SourceLocation(file: file, line: 19, column: 1))
        #expect(state == DesiredState(services: [blog], units: [timer]))
    }

    @Test func omittedFieldsTakeTheirDefaults() throws {
        let manifest = """
            apiVersion: reconciler/v1
            kind: Service
            name: api
            image: {build: {}}
            health: {tcp: 8080}
            ---
            apiVersion: reconciler/v1
            kind: Unit
            name: nightly.target
            contents: |
              [Unit]
              Description=Nightly jobs

            """
        let load = DesiredStateLoader.load(from: Self.repository(["desired-state/api.yaml": manifest]))
        let state = try #require(load.state, "\(load.diagnostics)")
        let api = try #require(state.services.first)
        #expect(api.image == .build(BuildSpec(context: ".", dockerfile: "Dockerfile")))
        #expect(api.restart == .always)
        #expect(api.health == HealthCheck(probe: .tcp(port: 8080), timeout: .seconds(60)))
        #expect(api.hosts == nil && api.ports.isEmpty && api.command.isEmpty && api.user == nil)
        let unit = try #require(state.units.first)
        #expect(unit.enable)
        #expect(unit.sourcePath == nil)
        #expect(unit.contents == "[Unit]\nDescription=Nightly jobs\n")
    }

    @Test("network: host decodes and renders as --network host for both runtimes; the default adds nothing")
    func hostNetworkDecodesAndRenders() throws {
        let manifest = "apiVersion: reconciler/v1\nkind: Service\nname: proxy\nimage: {ref: x}\nnetwork: host\n"
        let load = DesiredStateLoader.load(from: Self.repository(["desired-state/proxy.yaml": manifest]))
        let proxy = try #require(load.state?.services.first, "\(load.diagnostics)")
        #expect(proxy.network == .host)
        for runtime in [ContainerRuntime.podman, .docker] {
            let unit = ServiceRenderer(runtime: runtime).render(proxy, image: "x").contents
            #expect(unit.contains(" --network host "), "\(unit)")
            var bridged = proxy
            bridged.network = .bridge
            #expect(!ServiceRenderer(runtime: runtime).render(bridged, image: "x").contents.contains("--network"))
        }
    }

    @Test func theDockerfileDefaultsToTheOneInsideTheBuildContext() throws {
        let manifest = "apiVersion: reconciler/v1\nkind: Service\nname: app\nimage: {build: {context: ./app/}}\n"
        let tree = Self.repository(["desired-state/app.yaml": manifest]).with("app/Dockerfile", text: "FROM scratch\n")
        let state = try #require(DesiredStateLoader.load(from: tree).state)
        #expect(state.services.first?.image == .build(BuildSpec(context: "app", dockerfile: "app/Dockerfile")))
    }

    @Test func buildPathsAreStoredResolvedThroughSymlinksInsideTheRepository() throws {
        let manifest = """
            apiVersion: reconciler/v1
            kind: Service
            name: app
            image: {build: {context: current, dockerfile: current/../images/app.Dockerfile}}
            """
        let tree = Self.repository(["desired-state/app.yaml": manifest])
            .with("releases/v2/main.py", text: "")
            .with("current", .symlink("releases/v2"))
            .with("releases/images/app.Dockerfile", text: "FROM scratch\n")
        let load = DesiredStateLoader.load(from: tree)
        let state = try #require(load.state, "\(load.diagnostics)")
        #expect(
            state.services.first?.image
                == .build(BuildSpec(context: "releases/v2", dockerfile: "releases/images/app.Dockerfile")))
    }

    @Test func everyPortFormDecodes() throws {
        let manifest = """
            apiVersion: reconciler/v1
            kind: Service
            name: dns
            image: {ref: "registry.example/dns:2"}
            ports: ["53:53/udp", "127.0.0.1:8053:53/tcp", "[::1]:9053:53"]
            """
        let state = try #require(
            DesiredStateLoader.load(from: Self.repository(["desired-state/dns.yaml": manifest])).state)
        #expect(
            state.services.first?.ports == [
                PortMapping(hostPort: 53, containerPort: 53, transport: .udp),
                PortMapping(hostIP: "127.0.0.1", hostPort: 8053, containerPort: 53),
                PortMapping(hostIP: "::1", hostPort: 9053, containerPort: 53),
            ])
    }

    @Test func servicesOnDisjointHostsMayShareAPort() throws {
        let manifest = """
            apiVersion: reconciler/v1
            kind: Service
            name: a
            hosts: {names: [web1]}
            image: {ref: x}
            ports: ["80:80"]
            ---
            apiVersion: reconciler/v1
            kind: Service
            name: b
            hosts: {names: [web2]}
            image: {ref: x}
            ports: ["80:80"]
            after: [a]
            """
        let load = DesiredStateLoader.load(from: Self.repository(["desired-state/ab.yaml": manifest]))
        #expect(load.state?.services.map(\.name) == ["a", "b"], "\(load.diagnostics)")
    }
}
