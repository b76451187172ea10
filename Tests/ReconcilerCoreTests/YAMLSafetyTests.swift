import ReconcilerCore
import ReconcilerTesting
import Testing

/// Hostile YAML is refused quickly and precisely.
struct YAMLSafetyTests {
    /// Nine levels of nine aliases: 9^9 (387 million) strings once expanded.
    static let billionLaughs = """
        apiVersion: reconciler/v1
        kind: Service
        name: lol
        image: {ref: x}
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        command: *i

        """

    static func timed(_ text: String) -> (DesiredStateLoad, Duration) {
        var load: DesiredStateLoad?
        let elapsed = ContinuousClock().measure {
            load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/bomb.yaml": text]))
        }
        return (load ?? DesiredStateLoad(state: nil, diagnostics: []), elapsed)
    }

    @Test func theBillionLaughsIsRefusedAtItsAnchorsWithoutExpansion() {
        let (load, elapsed) = Self.timed(Self.billionLaughs)
        #expect(elapsed < .seconds(2))
        #expect(load.state == nil)
        #expect(load.diagnostics.count == 9)
        #expect(load.diagnostics.first?.description.hasPrefix("desired-state/bomb.yaml:5:4: error: a: anchors") == true)
        #expect(load.diagnostics.allSatisfy { $0.message.contains("are not supported") })
    }

    /// Yams hashes every mapping key to find duplicates, so an alias used as a key would be
    /// walked in full before any anchor could be looked at; the probe pass prevents that.
    @Test func anAliasBombUsedAsAKeyIsRefusedJustAsFast() {
        let keyBomb = Self.billionLaughs.replacing("command: *i", with: "? *i\n: boom")
        let (load, elapsed) = Self.timed(keyBomb)
        #expect(elapsed < .seconds(2))
        #expect(load.state == nil)
        #expect(load.diagnostics.count == 9)
    }

    @Test func deepNestingIsRefusedInsteadOfExhaustingTheStack() {
        let (load, elapsed) = Self.timed("a: " + String(repeating: "[", count: 200_000) + "\n")
        #expect(elapsed < .seconds(2))
        #expect(
            load.diagnostics.map(\.description) == [
                "desired-state/bomb.yaml:1:5: error: invalid YAML: nested deeper than 1000 levels"
            ])
    }

    @Test func aThirdOccurrenceOfAKeyIsReportedAtTheSecond() {
        let text = "apiVersion: reconciler/v1\nkind: Service\nname: a\nname: b\nname: c\nimage: {ref: x}\n"
        let (load, _) = Self.timed(text)
        #expect(
            load.diagnostics.map(\.description) == [
                "desired-state/bomb.yaml:4:1: error: name: duplicate key 'name': it is already set on line 3;"
                    + " each key may appear only once"
            ])
    }

    @Test func aQuotedDuplicateInAFlowMappingIsFound() {
        let text = "apiVersion: reconciler/v1\nkind: Service\nname: a\nimage: {ref: x}\nenv: {\"A\": 1, 'A': 2}\n"
        let (load, _) = Self.timed(text)
        #expect(load.diagnostics.map { "\($0.location) \($0.path)" } == ["desired-state/bomb.yaml:5:15 env.A"])
    }

    @Test func aDuplicateKeyAnywhereStopsOnlyThatFile() {
        let tree = InMemoryTree([
            "desired-state/a.yaml": "apiVersion: reconciler/v1\napiVersion: reconciler/v1\n",
            "desired-state/b.yaml": "apiVersion: reconciler/v1\nkind: Service\nname: b\nimage: {ref: x}\nuser: 'a b'\n",
        ])
        let load = DesiredStateLoader.load(from: tree)
        #expect(load.diagnostics.map(\.location.file) == ["desired-state/a.yaml", "desired-state/b.yaml"])
    }

    @Test func anAsteriskInsideTextIsNotAnAlias() throws {
        let text = """
            apiVersion: reconciler/v1
            kind: Service
            name: a
            image: {ref: x}
            command: [sh, -c, "ls *.txt", 'echo *', a*b]
            description: 5 * 3 & more
            """
        let (load, _) = Self.timed(text)
        let service = try #require(load.state?.services.first, "\(load.diagnostics)")
        #expect(service.command == ["sh", "-c", "ls *.txt", "echo *", "a*b"])
        #expect(service.description == "5 * 3 & more")
    }
}
