import ReconcilerCore
import ReconcilerTesting
import Testing

/// String fields take the scalar exactly as written; YAML 1.1 never turns text into booleans or numbers.
struct ScalarDecisionTests {
    static func environment(_ line: String) throws -> [String: String] {
        let manifest = "apiVersion: reconciler/v1\nkind: Service\nname: app\nimage: {ref: x}\nenv:\n  \(line)\n"
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/app.yaml": manifest]))
        return try #require(load.state?.services.first?.environment, "\(load.diagnostics)")
    }

    @Test(arguments: [
        ("DEBUG: on", "on"),
        ("ENABLED: yes", "yes"),
        ("OFF: off", "off"),
        ("VERSION: 1.10", "1.10"),
        ("OCTAL: 0755", "0755"),
        ("HEX: 0x1F", "0x1F"),
        ("EXP: 1e3", "1e3"),
        ("SEXAGESIMAL: 1:30", "1:30"),
        ("TILDE: '~'", "~"),
        ("NULL_TEXT: \"null\"", "null"),
        ("TRUE_TEXT: True", "True"),
        ("EMPTY: \"\"", ""),
        ("SPACED: '  padded '", "  padded "),
    ])
    func stringFieldsKeepTheLiteralText(line: String, value: String) throws {
        let environment = try Self.environment(line)
        #expect(environment.values.first == value)
    }

    @Test func restartNoStaysTheWordNo() throws {
        let manifest = "apiVersion: reconciler/v1\nkind: Service\nname: app\nimage: {ref: x}\nrestart: no\n"
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/app.yaml": manifest]))
        #expect(load.state?.services.first?.restart == RestartPolicy.no, "\(load.diagnostics)")
    }

    @Test(arguments: ["on", "off", "no", "Yes", "TRUE", "y"])
    func booleansOtherThanTrueAndFalseAreRefused(word: String) {
        let manifest = "apiVersion: reconciler/v1\nkind: Unit\nname: a.target\ncontents: \"[Unit]\"\nenable: \(word)\n"
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/a.yaml": manifest]))
        #expect(load.state == nil)
        #expect(load.diagnostics.map(\.path) == ["enable"])
        #expect(load.diagnostics.first?.message.contains("write true or false") == true)
    }

    @Test(arguments: [("true", true), ("false", false)])
    func enableTakesTrueAndFalse(word: String, value: Bool) {
        let manifest = "apiVersion: reconciler/v1\nkind: Unit\nname: a.target\ncontents: \"[Unit]\"\nenable: \(word)\n"
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/a.yaml": manifest]))
        #expect(load.state?.units.first?.enable == value)
    }

    @Test func numbersAreAcceptedAsNamesAndPortsAsWritten() throws {
        let manifest = "apiVersion: reconciler/v1\nkind: Service\nname: 2048\nimage: {ref: x}\nhealth: {tcp: 08080}\n"
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/app.yaml": manifest]))
        let service = try #require(load.state?.services.first, "\(load.diagnostics)")
        #expect(service.name == "2048")
        #expect(service.health?.probe == .tcp(port: 8080))
    }
}
