internal import CGit2

/// An object id, copied out of libgit2 so that it outlives the entry or commit it came from.
struct GitObjectID {
    /// libgit2's form, for wrappers that pass it back to libgit2.
    let raw: git_oid

    init(_ raw: git_oid) {
        self.raw = raw
    }

    init(_ pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    /// Parses 40 hexadecimal digits; nil for anything else.
    init?(hex: String) {
        var oid = git_oid()
        guard git_oid_fromstr(&oid, hex) == 0 else { return nil }
        self.init(oid)
    }

    /// The 40-character hexadecimal form.
    var hex: String {
        var oid = raw
        var buffer = [UInt8](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        buffer.withUnsafeMutableBufferPointer { out in
            out.withMemoryRebound(to: CChar.self) { _ = git_oid_tostr($0.baseAddress, $0.count, &oid) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// True for the all-zero id, libgit2's "no object" (e.g. the old side of a created ref).
    var isZero: Bool {
        var oid = raw
        return git_oid_is_zero(&oid) != 0
    }
}

extension GitRepository {
    /// The repository's object database, owning a `git_odb*`: answers questions about objects
    /// (do they exist, how large are they) without inflating them.
    final class ObjectDatabase {
        /// The `git_odb*`, freed in deinit; the module borrows it through `withUnsafeHandle`.
        private let handle: OpaquePointer

        private init(owning handle: OpaquePointer) {
            self.handle = handle
        }

        deinit {
            git_odb_free(handle)
        }

        /// Lends `body` the raw `git_odb*`, valid only until `body` returns.
        func withUnsafeHandle<R, E: Error>(_ body: (OpaquePointer) throws(E) -> R) throws(E) -> R {
            try withExtendedLifetime(self) { () throws(E) -> R in try body(handle) }
        }

        /// The object database of `repository`. It stays valid on its own (libgit2 counts references).
        static func open(in repository: GitRepository, operation: @autoclosure () -> String) throws(GitError)
            -> ObjectDatabase
        {
            var odb: OpaquePointer?
            try check(operation()) { repository.withUnsafeHandle { git_repository_odb(&odb, $0) } }
            guard let odb else { throw GitError(operation: operation(), code: -1, errorClass: 0, message: "no handle") }
            return ObjectDatabase(owning: odb)
        }

        /// Whether the database has the object `id` (without reading or checking it).
        func contains(_ id: GitObjectID) -> Bool {
            var oid = id.raw
            return git_odb_exists(handle, &oid) == 1
        }

        /// The size in bytes of the object `id`, read from its header; nil when it cannot be read.
        func size(of id: GitObjectID) -> Int? {
            var oid = id.raw
            var size = 0
            var type = GIT_OBJECT_INVALID
            guard git_odb_read_header(&size, &type, handle, &oid) == 0 else { return nil }
            return size
        }
    }

    /// Whether the object database has `id` (without reading or checking it); false for an id
    /// that is not 40 hex digits or a database that cannot be opened.
    func containsObject(_ id: String) -> Bool {
        guard let oid = GitObjectID(hex: id),
            let objects = try? ObjectDatabase.open(in: self, operation: "open the object database of \(path)")
        else { return false }
        return objects.contains(oid)
    }

    /// The bytes of the blob `id`. Reading inflates the blob and checks its hash.
    func blobContents(_ id: GitObjectID, operation: @autoclosure () -> String) throws(GitError) -> [UInt8] {
        try withBlob(id, operation: operation()) { blob in
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let bytes = git_blob_rawcontent(blob) else { return [] }
            return Array(UnsafeRawBufferPointer(start: bytes, count: size))
        }
    }

    /// The size of the blob `id`, read by inflating it, which checks its hash.
    func blobSize(_ id: GitObjectID, operation: @autoclosure () -> String) throws(GitError) -> UInt64 {
        try withBlob(id, operation: operation()) { git_blob_rawsize($0) }
    }

    /// Looks up the blob `id` and lends `body` its `git_blob*`, freed when `body` returns.
    private func withBlob<R>(
        _ id: GitObjectID, operation: @autoclosure () -> String, _ body: (OpaquePointer) -> R
    ) throws(GitError) -> R {
        var oid = id.raw
        var blob: OpaquePointer?
        try check(operation()) { withUnsafeHandle { git_blob_lookup(&blob, $0, &oid) } }
        defer { git_blob_free(blob) }
        guard let blob else { throw GitError(operation: operation(), code: -1, errorClass: 0, message: "no blob") }
        return body(blob)
    }
}
