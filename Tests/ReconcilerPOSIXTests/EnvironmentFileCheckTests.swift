import Foundation
import ReconcilerCore
import ReconcilerPOSIX
import ReconcilerTesting
import Testing

/// The host-side check of `envFiles:` before a commit is applied, on the real file system:
/// a file the operator has not placed yet refuses the commit instead of failing the start.
struct EnvironmentFileCheckTests {
    @Test("a readable env file on the host passes")
    func present() throws {
        let directory = try PrivateDirectory.make(prefix: "reconciler-envfile")
        defer { directory.remove() }
        let path = directory.file("blog.env")
        try AtomicFile.write(Array("FLASKR_DATABASE_PASSWORD=x\n".utf8), to: path, mode: 0o600)

        try AgeSecretChecker().checkEnvironmentFile(at: path)
    }

    @Test(
        "a missing env file, or a folder in its place, is refused with what to do",
        arguments: [("missing.env", "is missing on this host"), ("folder", "not a regular file")])
    func refused(name: String, reason: String) throws {
        let directory = try PrivateDirectory.make(prefix: "reconciler-envfile")
        defer { directory.remove() }
        let path = directory.file(name)
        if name == "folder" { #expect(mkdir(path, 0o700) == 0) }

        let failure = #expect(throws: SecretCheckFailure.self) {
            try AgeSecretChecker().checkEnvironmentFile(at: path)
        }
        #expect(failure?.description.contains(reason) == true, "\(String(describing: failure))")
    }
}
