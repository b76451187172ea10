import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// A valid signature says who wrote a commit, not that it is the newest: whoever controls the
/// server could replay an older signed commit (with a known bug) or a signed commit of another
/// branch. With a signature policy the source refuses to go anywhere but forward, unless the
/// host configuration says `requireFastForward: false`.
struct GitSourceSignedRewindTests {
    enum Move: String, CustomStringConvertible {
        case downgrade, otherBranch
        var description: String { rawValue }
    }

    /// Two signed commits, the host on the second; then the server's branch moves to `move`.
    /// Returns the source, the applied commit and the one the branch points at now.
    static func serve(
        _ move: Move, in fixture: SourceFixture, key: SSHSigningKey, requireFastForward: Bool?
    ) throws -> (source: GitSource, applied: String, offered: String) {
        let old = try fixture.upstream.commitSigned(file: "desired-state/app.yaml", contents: "v: 2\n", with: key)
        try fixture.upstream.git("branch", "other")
        let applied = try fixture.upstream.commitSigned(file: "desired-state/app.yaml", contents: "v: 3\n", with: key)
        try fixture.publish()
        let source = fixture.source(
            requireFastForward: requireFastForward, signaturePolicy: .sshAllowedSigners(path: key.allowedSigners))
        #expect(try source.update(lastAccepted: nil).commit.id == applied)
        switch move {
        case .downgrade:
            try fixture.upstream.git("reset", "-q", "--hard", old)
            try fixture.publish()
            return (source, applied, old)
        case .otherBranch:
            try fixture.upstream.git("checkout", "-q", "other")
            let offered = try fixture.upstream.commitSigned(
                file: "desired-state/app.yaml", contents: "v: other\n", with: key)
            try fixture.upstream.git("push", "-q", "--force", fixture.bare, "other:main")
            return (source, applied, offered)
        }
    }

    @Test(
        "With signers, a signed commit that does not descend from the applied one is refused by default",
        arguments: [Move.downgrade, .otherBranch])
    func signedRewindIsRefused(move: Move) throws {
        let fixture = try SourceFixture()
        let key = try SSHSigningKey()
        let (source, applied, offered) = try Self.serve(move, in: fixture, key: key, requireFastForward: nil)

        let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: applied) }

        #expect(error?.kind == .historyRewritten)
        #expect(error?.message.contains(offered) == true)
        #expect(error?.message.contains(applied) == true)
        #expect(error?.message.contains("requireFastForward: false") == true, "\(error?.message ?? "")")
    }

    @Test(
        "With signers and requireFastForward: false, a signed rewind is followed",
        arguments: [
            Move.downgrade, .otherBranch,
        ])
    func signedRewindIsFollowedWhenAllowed(move: Move) throws {
        let fixture = try SourceFixture()
        let key = try SSHSigningKey()
        let (source, applied, offered) = try Self.serve(move, in: fixture, key: key, requireFastForward: false)

        let update = try source.update(lastAccepted: applied)

        #expect(update.commit.id == offered)
        #expect(update.change == .rewritten(from: applied))
    }

    @Test("A pinned commit is the host's own choice: pinning an older signed commit is followed")
    func pinnedOlderCommitIsFollowed() throws {
        let fixture = try SourceFixture()
        let key = try SSHSigningKey()
        let old = try fixture.upstream.commitSigned(file: "desired-state/app.yaml", contents: "v: 2\n", with: key)
        let applied = try fixture.upstream.commitSigned(file: "desired-state/app.yaml", contents: "v: 3\n", with: key)
        try fixture.publish()
        let source = fixture.source(
            reference: .commit(old), signaturePolicy: .sshAllowedSigners(path: key.allowedSigners))

        #expect(try source.update(lastAccepted: applied).commit.id == old)
    }
}
