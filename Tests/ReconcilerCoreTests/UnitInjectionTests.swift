import ReconcilerCore
import ReconcilerTesting
import Testing

/// Nothing a commit says can add, remove or merge lines of a unit file we write: names of the
/// files it holds are checked when the folder is read, and every value is escaped again when
/// the unit is rendered.
struct UnitInjectionTests {
    static let injection = "x\n[Service]\nExecStartPre=+/bin/sh -c id\n"

    /// Every C0 control character, DEL, and the line breaks systemd's reader honours.
    static let controlCharacters: [Character] = (0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) } + ["\u{7F}"]

    @Test(
        "a folder name with a control character is refused with the path and the character",
        arguments: controlCharacters)
    func aFolderNameWithAControlCharacterIsRefused(_ control: Character) {
        let folder = "desired-state/a\(control)b"
        let load = DesiredStateLoader.load(
            from: InMemoryTree(["\(folder)/web.yaml": DesiredStateLoaderTests.service("web")]))
        #expect(load.state == nil)
        let code = control.unicodeScalars.first.map { String($0.value, radix: 16, uppercase: true) } ?? ""
        #expect(
            load.diagnostics.contains {
                $0.location.file == "desired-state" && $0.message.contains("control character")
                    && !$0.description.contains(control)
                    && $0.message.contains("U+\(String(repeating: "0", count: 4 - code.count))\(code)")
            }, "\(load.diagnostics)")
    }

    @Test(
        "a manifest, unit file or data file named with a line break is refused, not read",
        arguments: [
            "desired-state/web\n.yaml", "desired-state/files/hello\r.timer", "desired-state/notes\t.txt",
        ])
    func aFileNameWithAControlCharacterIsRefused(_ path: String) {
        let tree = InMemoryTree([path: "x", "desired-state/ok.yaml": DesiredStateLoaderTests.service("ok")])
        let load = DesiredStateLoader.load(from: tree)
        #expect(load.state == nil)
        #expect(load.diagnostics.count == 1, "\(load.diagnostics)")
        #expect(load.diagnostics.first?.message.contains("control character") == true, "\(load.diagnostics)")
    }

    @Test("the header and marker of a directory named to inject [Service] stay comments and one value")
    func theReportedInjectionThroughADirectoryName() {
        let tree = InMemoryTree(["desired-state/\(Self.injection)/web.yaml": DesiredStateLoaderTests.service("web")])
        #expect(DesiredStateLoader.load(from: tree).state == nil)
        let service = ServiceSpec(
            name: "web", image: .reference("x"),
            location: SourceLocation(file: "desired-state/\(Self.injection)/web.yaml", line: 1, column: 1))
        let unit = ServiceRenderer(runtime: .podman).render(service, image: "x")
        var clean = service
        clean.location.file = "desired-state/web.yaml"
        let expected = UnitFileDirectives.keys(ServiceRenderer(runtime: .podman).render(clean, image: "x").contents)
        #expect(UnitFileDirectives.keys(unit.contents) == expected, "\(unit.contents)")
        #expect(UnitFileDirectives.keys(unit.contents).filter { $0 == "[Service]" }.count == 1)
        #expect(OwnershipMarker.source(in: unit.contents) != nil)
    }

    @Test(
        "a description ending in a backslash is refused: systemd would join the next line to it",
        arguments: [
            "ends in \\\\", "two \\\\\\\\", "then a blank \\\\ ",
        ])
    func aDescriptionEndingInABackslashIsRefused(_ description: String) {
        let yaml = DesiredStateLoaderTests.service("web", "description: \"\(description)\"\n")
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/web.yaml": yaml]))
        #expect(load.state == nil)
        #expect(load.diagnostics.map(\.path) == ["description"], "\(load.diagnostics)")
        #expect(load.diagnostics.first?.message.contains("backslash") == true, "\(load.diagnostics)")
    }

    @Test("a backslash inside a description is kept")
    func aBackslashInsideADescriptionIsKept() {
        let yaml = DesiredStateLoaderTests.service("web", "description: 'C:\\temp is fine'\n")
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/web.yaml": yaml]))
        #expect(load.state?.services.first?.description == "C:\\temp is fine", "\(load.diagnostics)")
    }
}
