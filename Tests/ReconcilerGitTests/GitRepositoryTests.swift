import Foundation
import ReconcilerCore
import ReconcilerGit
import Testing

struct GitRepositoryTests {
    @Test func readsTheCommitABranchPointsAt() throws {
        let fixture = try TemporaryGitRepository()
        try fixture.commit(file: "desired-state/a.yaml", contents: "a: 1\n", message: "First")
        let head = try fixture.commit(
            file: "desired-state/a.yaml", contents: "a: 2\n", message: "Bump a to 2\n\nBecause reasons.\n")

        let revision = try GitRepository.open(at: fixture.path).revision(at: "main")

        #expect(revision.id == head)
        #expect(revision.authorName == "Ada Operator")
        #expect(revision.authorEmail == "ada@example.org")
        #expect(revision.authoredAt == 1_767_319_445)  // 2026-01-02T02:04:05Z
        #expect(revision.authorUTCOffsetMinutes == 60)
        #expect(revision.message == "Bump a to 2\n\nBecause reasons.\n")
        #expect(revision.summary == "Bump a to 2")
    }

    @Test func resolvesTagsFullRefsCommitIDsAndRevisionExpressions() throws {
        let fixture = try TemporaryGitRepository()
        let first = try fixture.commit(file: "f", contents: "1", message: "One")
        try fixture.git("tag", "-a", "v1", "-m", "release 1")
        let second = try fixture.commit(file: "f", contents: "2", message: "Two")
        let repository = try GitRepository.open(at: fixture.path)

        #expect(try repository.revision(at: "v1").id == first)  // annotated tag peeled to its commit
        #expect(try repository.revision(at: "refs/heads/main").id == second)
        #expect(try repository.revision(at: "HEAD~1").id == first)
        #expect(try repository.revision(at: first).id == first)
        #expect(try repository.revision(at: String(first.prefix(10))).id == first)
    }

    @Test func aMissingRefIsNotFoundWithLibgit2sMessage() throws {
        let fixture = try TemporaryGitRepository()
        try fixture.commit(file: "f", contents: "1", message: "One")
        let repository = try GitRepository.open(at: fixture.path)

        let error = #expect(throws: GitError.self) { try repository.revision(at: "no-such-branch") }

        #expect(error?.isNotFound == true)
        #expect(error?.message.contains("no-such-branch") == true)
        #expect(error?.description.hasPrefix("resolve 'no-such-branch' in \(fixture.path): ") == true)
    }

    @Test func openingSomethingThatIsNotARepositoryNamesThePath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-repo-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let error = #expect(throws: GitError.self) { try GitRepository.open(at: directory) }

        #expect(error?.isNotFound == true)
        #expect(error?.description.contains("open repository at \(directory)") == true)
        #expect(error?.message.contains("could not find repository") == true)
    }

    @Test func aTreeObjectIsNotACommit() throws {
        let fixture = try TemporaryGitRepository()
        try fixture.commit(file: "f", contents: "1", message: "One")
        let tree = try fixture.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)

        let error = #expect(throws: GitError.self) { try GitRepository.open(at: fixture.path).revision(at: tree) }

        #expect(error?.description.contains("resolve '\(tree)'") == true)
    }
}
