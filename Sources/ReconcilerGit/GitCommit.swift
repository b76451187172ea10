internal import CGit2
import ReconcilerCore

/// A commit object, owning its `git_commit*` and keeping its repository alive.
final class GitCommit {
    /// The `git_commit*`, freed in deinit; the module borrows it through `withUnsafeHandle`.
    private let handle: OpaquePointer
    /// The repository the commit was read from. libgit2 objects point into their repository:
    /// it must outlive them.
    let repository: GitRepository

    private init(owning handle: OpaquePointer, repository: GitRepository) {
        self.handle = handle
        self.repository = repository
    }

    deinit {
        git_commit_free(handle)
    }

    /// Lends `body` the raw `git_commit*`, valid only until `body` returns.
    func withUnsafeHandle<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(self) { () throws(E) -> R in try body(handle) }
    }

    /// Resolves `ref` (any git revision expression) in `repository` to the commit it names,
    /// peeling annotated tags.
    static func resolve(_ ref: String, in repository: GitRepository) throws(GitError) -> GitCommit {
        let operation = "resolve '\(ref)' in \(repository.path)"
        var object: OpaquePointer?
        try check(operation) { repository.withUnsafeHandle { git_revparse_single(&object, $0, ref) } }
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try check(operation) { git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) }
        guard let peeled else {
            throw GitError(operation: operation, code: -1, errorClass: 0, message: "no commit")
        }
        return GitCommit(owning: peeled, repository: repository)
    }

    /// The commit's object id.
    var objectID: GitObjectID {
        GitObjectID(git_commit_id(handle))
    }

    /// The full id (40 hex digits).
    var id: String { objectID.hex }

    /// The committer time (seconds since 1970); 0 when the commit has no committer.
    var committedAt: Int64 {
        git_commit_committer(handle)?.pointee.when.time ?? 0
    }

    /// The commit's id, author and message.
    var revision: Revision {
        var name = ""
        var email = ""
        var time: Int64 = 0
        var offset = 0
        if let author = git_commit_author(handle) {
            name = author.pointee.name.map { String(cString: $0) } ?? ""
            email = author.pointee.email.map { String(cString: $0) } ?? ""
            time = author.pointee.when.time
            offset = Int(author.pointee.when.offset)
        }
        let message = git_commit_message(handle).map { String(cString: $0) } ?? ""
        return Revision(
            id: id,
            authorName: name,
            authorEmail: email,
            authoredAt: time,
            authorUTCOffsetMinutes: offset,
            message: message
        )
    }
}
