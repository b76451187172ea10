import ReconcilerCore
import ReconcilerTesting
import Testing

/// How the loader finds, reads and combines manifest files.
struct DesiredStateLoaderTests {
    static func service(_ name: String, _ extra: String = "") -> String {
        "apiVersion: reconciler/v1\nkind: Service\nname: \(name)\nimage: {ref: x}\n\(extra)"
    }

    @Test func aMissingFolderIsAnErrorNotAnEmptyState() {
        let load = DesiredStateLoader.load(from: InMemoryTree(["README.md": "hi"]))
        #expect(load.state == nil)
        #expect(
            load.diagnostics.map(\.description) == [
                "desired-state:1:1: error: desired-state folder 'desired-state' not found in the repository;"
                    + " an empty desired state must be an empty folder (with a .gitkeep file)"
            ])
    }

    @Test func aFolderWithoutDocumentsIsAnEmptyState() {
        let tree = InMemoryTree(["desired-state/.gitkeep": "", "desired-state/empty.yaml": "# nothing yet\n---\n"])
        let load = DesiredStateLoader.load(from: tree)
        #expect(load.diagnostics.isEmpty)
        #expect(load.state == DesiredState())
    }

    @Test func anEmptyDirectoryIsAnEmptyState() {
        let load = DesiredStateLoader.load(from: InMemoryTree().with("desired-state", .directory))
        #expect(load.state == DesiredState())
    }

    @Test func theFolderCanBeElsewhereAndWrittenLoosely() {
        let tree = InMemoryTree(["deploy/prod/app.yml": Self.service("app")])
        #expect(DesiredStateLoader.load(from: tree, folder: "./deploy//prod/").state?.services.map(\.name) == ["app"])
    }

    @Test func aFolderThatIsASymlinkIsRefused() {
        let tree = InMemoryTree(["real/app.yaml": Self.service("app")]).with("desired-state", .symlink("real"))
        let load = DesiredStateLoader.load(from: tree)
        #expect(load.state == nil)
        #expect(load.diagnostics.first?.message.contains("is a symlink to 'real'") == true)
    }

    @Test func aFolderOutsideTheRepositoryIsRefused() {
        let load = DesiredStateLoader.load(from: InMemoryTree(), folder: "../elsewhere")
        #expect(load.diagnostics.first?.message.contains("must be a path inside the repository") == true)
    }

    @Test func filesAreReadRecursivelyAndMultiDocumentFilesSplit() throws {
        let tree = InMemoryTree([
            "desired-state/b.yaml": Self.service("b") + "---\n" + Self.service("c"),
            "desired-state/nested/deeper/a.yml": Self.service("a"),
            "desired-state/README.md": "not yaml: [",
            "desired-state/notes.txt": "ignored",
        ])
        let load = DesiredStateLoader.load(from: tree)
        let state = try #require(load.state, "\(load.diagnostics)")
        #expect(state.services.map(\.name) == ["a", "b", "c"])
        #expect(
            state.services.map(\.location.description) == [
                "desired-state/nested/deeper/a.yml:1:1", "desired-state/b.yaml:1:1", "desired-state/b.yaml:6:1",
            ])
    }

    @Test func yamlFilesUnderTheFilesFolderAreDataNotManifests() {
        let tree = InMemoryTree([
            "desired-state/app.yaml": Self.service("app"),
            "desired-state/files/config.yaml": "this: is [not, a, manifest",
        ])
        #expect(DesiredStateLoader.load(from: tree).state?.services.count == 1)
    }

    @Test func everyErrorOfEveryFileIsReportedAtOnceInOrder() {
        let tree = InMemoryTree([
            "desired-state/b.yaml": Self.service("b", "ports: [\"0:80\"]\nrestart: never\n"),
            "desired-state/a.yaml": Self.service("a", "after: [nobody]\n") + "---\nkind: Unit\n",
            "desired-state/c.yaml": "key: [unclosed\n",
        ])
        let load = DesiredStateLoader.load(from: tree)
        #expect(load.state == nil)
        #expect(
            load.diagnostics.map { "\($0.location) \($0.path)" } == [
                "desired-state/a.yaml:5:9 after[0]",
                "desired-state/a.yaml:7:1 apiVersion",
                "desired-state/b.yaml:5:9 ports[0]",
                "desired-state/b.yaml:6:10 restart",
                "desired-state/c.yaml:2:1 ",
            ])
    }

    @Test func duplicateNamesAcrossFilesPointAtTheFirst() {
        let tree = InMemoryTree([
            "desired-state/one.yaml": Self.service("blog"),
            "desired-state/two.yaml":
                "apiVersion: reconciler/v1\nkind: Unit\nname: blog.service\ncontents: \"[Service]\"\n",
        ])
        let load = DesiredStateLoader.load(from: tree)
        #expect(
            load.diagnostics.map(\.description) == [
                "desired-state/two.yaml:3:7: error: name: blog.service is already defined by service 'blog'"
                    + " at desired-state/one.yaml:3:7"
            ])
    }

    @Test func aLongerCycleIsNamedInFull() {
        let tree = InMemoryTree([
            "desired-state/a.yaml": Self.service("a", "after: [b]\n"),
            "desired-state/b.yaml": Self.service("b", "after: [c]\n"),
            "desired-state/c.yaml": Self.service("c", "after: [a]\n"),
        ])
        let load = DesiredStateLoader.load(from: tree)
        #expect(
            load.diagnostics.map(\.message) == [
                "dependency cycle: a -> b -> c -> a; remove one of these after: entries"
            ])
        #expect(load.diagnostics.first?.location.file == "desired-state/c.yaml")
    }

    @Test func symlinksAndSubmodulesInsideTheFolderAreRefusedWithTheirPath() {
        let tree = InMemoryTree(["desired-state/app.yaml": Self.service("app"), "shared/db.yaml": Self.service("db")])
            .with("desired-state/db.yaml", .symlink("../shared/db.yaml"))
            .with("desired-state/files/unit.timer", .symlink("/etc/passwd"))
            .with("desired-state/vendor", .submodule)
        let load = DesiredStateLoader.load(from: tree)
        #expect(load.state == nil)
        #expect(
            load.diagnostics.map(\.location.file) == [
                "desired-state/db.yaml", "desired-state/files/unit.timer", "desired-state/vendor",
            ])
        #expect(load.diagnostics[0].message.contains("symlinks inside the desired-state folder are refused"))
        #expect(load.diagnostics[2].message.contains("is a git submodule"))
    }

    @Test func filesOverOneMebibyteAreRefusedBeforeReading() {
        let big = Self.service("big") + "# " + String(repeating: "x", count: 1_048_576) + "\n"
        let exact = String(repeating: "#", count: 1_048_575) + "\n"
        let tree = InMemoryTree(["desired-state/big.yaml": big, "desired-state/exact.yaml": exact])
        let load = DesiredStateLoader.load(from: tree)
        #expect(
            load.diagnostics.map(\.description) == [
                "desired-state/big.yaml:1:1: error: file is \(big.utf8.count) bytes;"
                    + " manifests may be at most 1048576 bytes (1 MiB)"
            ])
    }

    @Test func invalidUTF8IsReportedWithTheByteOffset() {
        var bytes = Array(Self.service("app").utf8)
        bytes += Array("description: caf".utf8) + [0xE9] + Array("\n".utf8)  // Latin-1 é
        let tree = InMemoryTree().with("desired-state/app.yaml", .file(bytes))
        let load = DesiredStateLoader.load(from: tree)
        #expect(
            load.diagnostics.map(\.description) == [
                "desired-state/app.yaml:5:17: error: file is not valid UTF-8: invalid byte sequence at byte offset"
                    + " \(bytes.count - 2) (0xE9); save it as UTF-8"
            ])
    }

    @Test func aByteOrderMarkIsAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(Self.service("app", "ports: [x]\n").utf8)
        let load = DesiredStateLoader.load(from: InMemoryTree().with("desired-state/app.yaml", .file(bytes)))
        // Columns on the first line are not shifted by the mark.
        #expect(
            load.diagnostics.map(\.description) == [
                "desired-state/app.yaml:5:9: error: ports[0]: port 'x' is not of the form [ip:]hostPort:containerPort[/tcp|udp],"
                    + " like \"8080:8080\" or \"127.0.0.1:8080:80/tcp\""
            ])
        let clean = [0xEF, 0xBB, 0xBF] + Array(Self.service("app").utf8)
        #expect(DesiredStateLoader.load(from: InMemoryTree().with("desired-state/a.yaml", .file(clean))).state != nil)
    }

    @Test func emptyDocumentsAreIgnored() {
        let text = "---\n---\n" + Self.service("app") + "---\n...\n---\n~\n"
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/app.yaml": text]))
        #expect(load.state?.services.map(\.name) == ["app"], "\(load.diagnostics)")
    }

    @Test func documentsBeforeASyntaxErrorAreStillChecked() {
        let text = Self.service("app", "restart: sometimes\n") + "---\nkey: [unclosed\n"
        let load = DesiredStateLoader.load(from: InMemoryTree(["desired-state/app.yaml": text]))
        #expect(load.diagnostics.map(\.path) == ["restart", ""])
    }
}
