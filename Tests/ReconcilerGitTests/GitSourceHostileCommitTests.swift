import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

/// A commit the agent should not read whole: a huge file, a tree nested very deep, a tree
/// with very many entries. Each is refused with the limit it passed, before anything reads
/// its files, and without discarding the mirror (a fresh clone would hold the same commit).
struct GitSourceHostileCommitTests {
    enum Shape: String, CustomStringConvertible {
        case hugeFile, deepTree, wideTree
        var description: String { rawValue }
    }

    /// Small limits stand in for the defaults (100 MiB, 64 levels, 100 000 entries), except
    /// depth, whose real default is cheap to pass.
    static let limits = TreeLimits(maximumBlobSize: 64 << 10, maximumDepth: 64, maximumEntries: 200)

    /// Commits the hostile shape on top of the fixture's first commit; returns the commit id.
    static func commit(_ shape: Shape, in upstream: TemporaryGitRepository) throws -> String {
        switch shape {
        case .hugeFile:
            try upstream.stage("app/blob.bin", String(repeating: "x", count: 100 << 10))
        case .deepTree:
            try upstream.stage(Array(repeating: "d", count: 70).joined(separator: "/") + "/f", "deep\n")
        case .wideTree:
            for index in 0..<250 { try upstream.stage("wide/\(index)", "\(index)\n") }
        }
        return try upstream.commitStaged("Hostile \(shape)")
    }

    static let expectedMessages: [Shape: String] = [
        .hugeFile: "'app/blob.bin' is 102400 bytes, over the limit of 64 KiB for one file",
        .deepTree: "nested more than 64 directories deep (the limit)",
        .wideTree: "more than 200 entries (the limit)",
    ]

    @Test(
        "A commit over a tree limit is refused naming the limit, and the mirror is kept",
        arguments: [
            Shape.hugeFile, .deepTree, .wideTree,
        ])
    func overLimitCommitIsRefused(shape: Shape) throws {
        let fixture = try SourceFixture()
        let source = fixture.source(treeLimits: Self.limits)
        let good = try source.update(lastAccepted: nil).commit.id
        let mirror = try fixture.mirrorPath
        let inode = try FileManager.default.attributesOfItem(atPath: mirror)[.systemFileNumber] as? Int
        let hostile = try Self.commit(shape, in: fixture.upstream)
        try fixture.publish()

        let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: good) }

        #expect(error?.kind == .commitTooLarge)
        #expect(error?.message.contains(hostile) == true)
        #expect(error?.message.contains(Self.expectedMessages[shape] ?? "?") == true, "\(error?.message ?? "")")
        #expect(error?.isRetryable == false)
        // Not "repaired" by cloning again: the same mirror directory is still there.
        #expect(try FileManager.default.attributesOfItem(atPath: mirror)[.systemFileNumber] as? Int == inode)
    }

    @Test(
        "With a signature policy an unsigned hostile commit is refused for its signature, before its tree is read",
        arguments: [Shape.hugeFile, .deepTree, .wideTree])
    func signatureIsCheckedBeforeTheTree(shape: Shape) throws {
        let fixture = try SourceFixture()
        let key = try SSHSigningKey()
        let signed = try fixture.upstream.commitSigned(file: "desired-state/app.yaml", contents: "v: 2\n", with: key)
        try fixture.publish()
        let source = fixture.source(
            signaturePolicy: .sshAllowedSigners(path: key.allowedSigners), treeLimits: Self.limits)
        _ = try source.update(lastAccepted: nil)
        let hostile = try Self.commit(shape, in: fixture.upstream)
        try fixture.publish()

        let error = #expect(throws: SourceError.self) { try source.update(lastAccepted: signed) }

        #expect(error?.kind == .signatureRefused, "\(error?.message ?? "")")
        #expect(error?.message.contains(hostile) == true)
    }
}
