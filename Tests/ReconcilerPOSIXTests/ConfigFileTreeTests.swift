import Foundation
import ReconcilerCore
import ReconcilerPOSIX
import Testing

/// The reconciler's file tree on the real file system: atomic writes with their mode, a
/// listing of what is there, removal that tidies empty directories, nothing outside the tree.
struct ConfigFileTreeTests {
    let directory: PrivateDirectory
    let tree: ConfigFileTree
    static let path = ConfigFile.hostDirectory + "/proxy/etc+caddy/Caddyfile"

    init() throws {
        directory = try PrivateDirectory.make(prefix: "reconciler-files-test")
        tree = ConfigFileTree(root: directory.file("files"))
    }

    @Test("a written file is listed with its bytes and mode, and replacing it keeps one file")
    func writeAndObserve() throws {
        defer { directory.remove() }
        try tree.write(Self.path, contents: Array("old\n".utf8), mode: 0o644)
        try tree.write(Self.path, contents: Array("new\n".utf8), mode: 0o640)

        #expect(try tree.observe() == [Self.path: ObservedFile(contents: Array("new\n".utf8), mode: 0o640)])
        let real = directory.file("files/proxy/etc+caddy")
        #expect(try FileManager.default.contentsOfDirectory(atPath: real) == ["Caddyfile"])
    }

    @Test("an atomic write replaces the inode: the directory, not the file, must be mounted")
    func writeReplacesTheInode() throws {
        defer { directory.remove() }
        try tree.write(Self.path, contents: Array("one\n".utf8), mode: 0o644)
        let real = directory.file("files/proxy/etc+caddy/Caddyfile")
        let before = try FileManager.default.attributesOfItem(atPath: real)[.systemFileNumber] as? Int
        try tree.write(Self.path, contents: Array("two\n".utf8), mode: 0o644)
        let after = try FileManager.default.attributesOfItem(atPath: real)[.systemFileNumber] as? Int
        #expect(before != after)
    }

    @Test("removing the last file of a service removes its empty directories")
    func removeTidies() throws {
        defer { directory.remove() }
        try tree.write(Self.path, contents: Array("x".utf8), mode: 0o644)
        try tree.remove(Self.path)

        #expect(try tree.observe().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("files")).isEmpty)
    }

    @Test(
        "paths outside the tree, or not two directories deep, are refused",
        arguments: [
            "/etc/passwd", ConfigFile.hostDirectory + "/proxy/Caddyfile",
            ConfigFile.hostDirectory + "/proxy/../../etc/passwd", ConfigFile.hostDirectory + "/proxy/a/b/c",
        ])
    func refusesForeignPaths(_ path: String) {
        defer { directory.remove() }
        #expect(throws: POSIXFailure.self) { try tree.write(path, contents: [], mode: 0o644) }
        #expect(throws: POSIXFailure.self) { try tree.remove(path) }
    }

    @Test("a symbolic link planted in the tree is neither listed nor followed")
    func linksAreIgnored() throws {
        defer { directory.remove() }
        try tree.write(Self.path, contents: Array("x".utf8), mode: 0o644)
        try FileManager.default.createSymbolicLink(
            atPath: directory.file("files/proxy/etc+caddy/link"), withDestinationPath: "/etc/hostname")

        #expect(try tree.observe().keys.sorted() == [Self.path])
    }
}
