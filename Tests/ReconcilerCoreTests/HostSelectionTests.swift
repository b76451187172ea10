import ReconcilerCore
import ReconcilerTesting
import Testing

/// What a valid commit may still not do on one host: lean on services or units that are not
/// selected for that host, and so would name units of the same name the host has for itself.
struct HostSelectionTests {
    static let web = SourceLocation(file: "desired-state/web.yaml", line: 1, column: 1)
    static let h1 = HostIdentity(name: "h1", labels: ["role": "web"])

    static func service(_ name: String, hosts: HostSelector? = nil, after: [String] = []) -> ServiceSpec {
        ServiceSpec(
            name: name, hosts: hosts, image: .reference("x"), after: after,
            location: SourceLocation(file: "desired-state/\(name).yaml", line: 1, column: 1))
    }

    static func load(_ files: [String: String]) throws -> DesiredState {
        let load = DesiredStateLoader.load(from: InMemoryTree(files))
        return try #require(load.state, "\(load.diagnostics)")
    }

    @Test(
        "after: naming a service not selected for this host is an error for this host, naming file, field and service")
    func afterNamingAnUnselectedServiceIsAnError() {
        let state = DesiredState(services: [
            Self.service("web", after: ["db"]), Self.service("db", hosts: HostSelector(names: ["h2"])),
        ])
        let diagnostics = state.diagnostics(forHost: Self.h1)
        #expect(diagnostics.count == 1)
        let diagnostic = diagnostics.first
        #expect(diagnostic?.location == Self.web)
        #expect(diagnostic?.path == "after")
        #expect(diagnostic?.severity == .error)
        #expect(
            diagnostic?.message
                == "names service db, which is not selected for host h1 (its hosts: names [h2]); select it for this"
                + " host too or drop it from after:")
    }

    @Test(
        "after: is fine when both services run here, or when the dependent one does not run here either",
        arguments: [
            (HostSelector?.none, HostSelector?.none),
            (HostSelector(labels: ["role": "web"]), HostSelector(names: ["h1"])),
            (HostSelector(names: ["h2"]), HostSelector(names: ["h2"])),
            (HostSelector(names: ["h2"]), HostSelector?.none),
        ])
    func afterWithinTheHostIsFine(_ web: HostSelector?, _ db: HostSelector?) {
        let state = DesiredState(services: [
            Self.service("web", hosts: web, after: ["db"]), Self.service("db", hosts: db),
        ])
        #expect(state.diagnostics(forHost: Self.h1).isEmpty)
    }

    @Test("a label selector is named in the message")
    func aLabelSelectorIsNamed() {
        let state = DesiredState(services: [
            Self.service("web", after: ["db"]), Self.service("db", hosts: HostSelector(labels: ["role": "db"])),
        ])
        #expect(
            state.diagnostics(forHost: Self.h1).first?.message.contains("(its hosts: labels role=db)") == true)
    }

    @Test("Alias= and Also= must name units selected for the same host", arguments: ["Alias", "Also"])
    func installNamesMustBeSelectedForTheHost(_ key: String) throws {
        let state = try Self.load([
            "desired-state/units.yaml": """
            apiVersion: reconciler/v1
            kind: Unit
            name: a.service
            contents: "[Service]\\nExecStart=/bin/true\\n[Install]\\n\(key)=b.service\\n"
            ---
            apiVersion: reconciler/v1
            kind: Unit
            name: b.service
            hosts: {names: [h2]}
            contents: "[Service]\\nExecStart=/bin/true\\n"
            """
        ])
        let diagnostics = state.diagnostics(forHost: Self.h1)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("\(key)=b.service") == true, "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("not selected for host h1") == true, "\(diagnostics)")
        #expect(state.diagnostics(forHost: HostIdentity(name: "h2")).isEmpty)
    }
}
