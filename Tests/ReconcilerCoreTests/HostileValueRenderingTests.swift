import ReconcilerCore
import Testing

/// The property behind every escape: whatever text a free-text field holds, the rendered unit
/// reads back (line by line, continuations joined) as exactly the sections and keys of the same
/// unit rendered from harmless values. Validation refuses most of these values already; the
/// renderer must hold on its own.
struct HostileValueRenderingTests {
    static let hostile: [String] = [
        "x\n[Service]\nExecStartPre=+/bin/sh -c id",
        "x\r[Install]\rWantedBy=sysinit.target",
        "x\r\nUser=root",
        "ends in a backslash\\",
        "ends in three\\\\\\",
        "backslash then blanks\\  \t",
        "nul\u{0}ExecStart=/bin/false",
        "del\u{7F} and next line\u{85}and a tab\tend",
        "%n $HOME ${X} \"quoted\" 'single' ; # not a comment",
        "\\\n# swallowed",
    ]

    /// One field of a service (or of a plain unit) the commit controls.
    struct Field: Sendable, CustomTestStringConvertible {
        var name: String
        var apply: @Sendable (inout ServiceSpec, String) -> Void
        var testDescription: String { name }
    }

    static let fields: [Field] = [
        Field(name: "description") { $0.description = $1 },
        Field(name: "document path (header and marker)") { $0.location.file = "desired-state/\($1)/web.yaml" },
        Field(name: "command argument") { $0.command = ["run", $1] },
        Field(name: "environment value") { $0.environment = ["KEY": $1] },
        Field(name: "environment file") { $0.environmentFiles = ["/etc/\($1)"] },
        Field(name: "user") { $0.user = $1 },
        Field(name: "volume source") { $0.volumes = [VolumeMount(source: "/srv/\($1)", target: "/data")] },
        Field(name: "image reference") { $0.image = .reference($1) },
    ]

    static func service(_ field: Field?, _ value: String) -> ServiceSpec {
        var service = ServiceSpec(
            name: "web", image: .reference("registry.example/web:1"),
            location: SourceLocation(file: "desired-state/web.yaml", line: 1, column: 1))
        field?.apply(&service, value)
        return service
    }

    static func image(of service: ServiceSpec) -> String {
        if case .reference(let reference) = service.image { return reference }
        return ""
    }

    @Test(
        "a hostile service value renders to exactly the directives of a harmless one",
        arguments: fields, hostile)
    func aHostileServiceValueRendersToTheSameDirectives(_ field: Field, _ value: String) {
        for runtime in [ContainerRuntime.podman, .docker] {
            let renderer = ServiceRenderer(runtime: runtime)
            let harmless = Self.service(field, "harmless")
            let expected = UnitFileDirectives.keys(renderer.render(harmless, image: Self.image(of: harmless)).contents)
            let service = Self.service(field, value)
            let unit = renderer.render(service, image: Self.image(of: service))
            #expect(UnitFileDirectives.keys(unit.contents) == expected, "\(runtime):\n\(unit.contents)")
            #expect(OwnershipMarker.source(in: unit.contents) != nil)
        }
    }

    @Test("a hostile source path of a plain unit stays in its comment and its marker", arguments: hostile)
    func aHostileUnitSourceRendersToTheSameDirectives(_ value: String) {
        let contents = "[Unit]\nDescription=Hello\n\n[Timer]\nOnCalendar=daily\n\n[Install]\nWantedBy=timers.target\n"
        let location = SourceLocation(file: "desired-state/units.yaml", line: 1, column: 1)
        let harmless = UnitFileRenderer.render(
            UnitSpec(
                name: "hello.timer", contents: contents, sourcePath: "desired-state/files/hello", location: location))
        for unit in [
            UnitSpec(
                name: "hello.timer", contents: contents, sourcePath: "desired-state/files/\(value)", location: location),
            UnitSpec(
                name: "hello.timer", contents: contents,
                location: SourceLocation(file: "desired-state/\(value).yaml", line: 1, column: 1)),
        ] {
            let rendered = UnitFileRenderer.render(unit)
            #expect(
                UnitFileDirectives.keys(rendered.contents) == UnitFileDirectives.keys(harmless.contents),
                "\(rendered.contents)")
            #expect(OwnershipMarker.source(in: rendered.contents) != nil)
        }
    }

    @Test(
        "an escaped command argument still reaches the container unchanged",
        arguments: [
            ("a\nb", "\"a\\nb\""), ("tab\there", "\"tab\\there\""), ("cr\r", "\"cr\\r\""),
            ("del\u{7F}", "\"del\\x7f\""),
            ("ends\\", "\"ends\\\\\""),
        ])
    func anEscapedWordStillMeansTheSameText(_ value: String, _ written: String) {
        #expect(SystemdEscaping.execWord(value) == written)
    }
}
