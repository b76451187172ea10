internal import CGit2
import ReconcilerCore

/// A commit object, owning its `git_commit*` and keeping its repository alive.
final class GitCommit {
    let handle: OpaquePointer
    // libgit2 objects point into their repository: it must outlive them.
    private let repository: GitRepository

    init(owning handle: OpaquePointer, repository: GitRepository) {
        self.handle = handle
        self.repository = repository
    }

    deinit {
        git_commit_free(handle)
    }

    var id: String {
        guard let oid = git_commit_id(handle) else { return "" }
        return GitOID.hex(oid)
    }

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

enum GitOID {
    /// The 40-character hexadecimal form of an object id.
    static func hex(_ oid: UnsafePointer<git_oid>) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        buffer.withUnsafeMutableBufferPointer { out in
            out.withMemoryRebound(to: CChar.self) { _ = git_oid_tostr($0.baseAddress, $0.count, oid) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }
}
