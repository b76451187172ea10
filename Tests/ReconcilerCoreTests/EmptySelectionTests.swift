import ReconcilerCore
import Testing

/// A host that no document selects is told which selectors would select documents, instead of
/// getting an empty plan that reads as success.
struct EmptySelectionTests {
    static func service(_ name: String, file: String, hosts: HostSelector?) -> ServiceSpec {
        ServiceSpec(
            name: name, hosts: hosts, image: .reference("x"),
            location: SourceLocation(file: "desired-state/\(file).yaml", line: 1, column: 1))
    }

    static let blog = DesiredState(
        services: [
            service("proxy", file: "blog-web", hosts: HostSelector(labels: ["web": "blog"])),
            service("blog", file: "blog-web", hosts: HostSelector(labels: ["web": "blog"])),
            service("blog-db", file: "blog-db", hosts: HostSelector(labels: ["db": "blog"])),
        ],
        units: [
            UnitSpec(
                name: "blog-backup.timer", hosts: HostSelector(labels: ["db": "blog"]), contents: "[Timer]\n",
                location: SourceLocation(file: "desired-state/blog-db.yaml", line: 40, column: 1))
        ])

    @Test("a host whose labels match no document is told every selector and the files that use it")
    func noMatchNamesTheSelectors() throws {
        let problem = try #require(
            Self.blog.emptySelectionProblem(forHost: HostIdentity(name: "h9", labels: ["web": "shop"])))
        #expect(
            problem
                == "no document selects host h9 (labels web=shop); documents select labels db=blog"
                + " (desired-state/blog-db.yaml); labels web=blog (desired-state/blog-web.yaml)."
                + " Give this host matching labels (host.labels in config.yaml, or --label KEY=VALUE)"
                + " or name it in hosts.names; set allowEmpty: true if it should run nothing")
    }

    @Test("a host without labels is told it has none")
    func noLabels() throws {
        let problem = try #require(Self.blog.emptySelectionProblem(forHost: HostIdentity(name: "h9")))
        #expect(problem.hasPrefix("no document selects host h9 (no labels); documents select labels db=blog"))
    }

    @Test(
        "a host that gets at least one document, or a desired state with no documents, is not a problem",
        arguments: [
            (blog, HostIdentity(name: "web1", labels: ["web": "blog"])),
            (blog, HostIdentity(name: "db1", labels: ["db": "blog", "web": "shop"])),
            (DesiredState(services: [], units: []), HostIdentity(name: "h9")),
            (
                DesiredState(services: [service("any", file: "any", hosts: nil)], units: []),
                HostIdentity(name: "h9")
            ),
        ])
    func somethingSelectedIsFine(state: DesiredState, host: HostIdentity) {
        #expect(state.emptySelectionProblem(forHost: host) == nil)
    }
}
