import Foundation
import Glibc
import ReconcilerCore

extension GitTree {
    /// Writes the directory `path` of this commit to `cacheDirectory/<tree id>` and returns that path.
    ///
    /// The tree id is a hash of the directory's whole content, so an existing export under it is
    /// already right and is returned without writing anything: a build context is materialised
    /// once per content, not once per commit. An export is written into a `.partial-*` folder,
    /// every file and folder is fsynced, and only then is it renamed into place, so a crash never
    /// leaves a half-written folder under the final name; the next export that writes removes leftovers.
    /// Exports into one cache directory are serialised with a lock file (`.lock`), which is also
    /// what makes any `.partial-*` folder found by the lock holder a leftover.
    ///
    /// The export is refused when the directory holds a submodule (its files are not in this
    /// repository), a symlink that is absolute or resolves outside the exported directory, or a
    /// name that is unsafe on disk (`.`, `..`, `.git`, or containing `/` or NUL).
    /// Files are written 0644, executables 0755, folders 0755, whatever the umask.
    /// - Parameters:
    ///   - path: The directory inside the repository ("." or "" for the root), without symlinks on
    ///     the way (the loader resolves a build context to such a path).
    ///   - cacheDirectory: Where exports live; created when missing.
    public func export(_ path: String, into cacheDirectory: String) throws(TreeExportError) -> String {
        let writer = TreeWriter(tree: self, path: path)
        let subtreeID = try writer.step { () throws(GitError) in try treeID(of: path) }
        guard let subtreeID else { throw writer.failure(.notADirectory) }
        let cache =
            cacheDirectory.count > 1 && cacheDirectory.hasSuffix("/")
            ? String(cacheDirectory.dropLast()) : cacheDirectory
        let final = "\(cache)/\(subtreeID)"
        if ExportFiles.isDirectory(final) { return final }
        let lock = try writer.step { () throws(FileFailure) in try ExportFiles.Lock(in: cache) }
        defer { lock.release() }
        // Another process may have finished this export while we waited for the lock.
        if ExportFiles.isDirectory(final) { return final }
        ExportFiles.removeLeftovers(in: cache)
        let partial = try writer.step { () throws(FileFailure) in
            try ExportFiles.makeTemporaryDirectory(in: cache, for: subtreeID)
        }
        do throws(TreeExportError) {
            let subtree = try writer.step { () throws(GitError) in try exportedTree(writer.root) }
            try writer.write(subtree, at: [], into: partial)
            try writer.step { () throws(FileFailure) in try ExportFiles.finish(partial, as: final, in: cache) }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return final
    }

    /// The exported directory as a tree of its own (the root tree when `root` is empty).
    private func exportedTree(_ root: [Substring]) throws(GitError) -> GitTree {
        guard !root.isEmpty else { return self }
        let entry = try lookUp(root)
        return try subtree(entry.id, operation: "read '\(root.joined(separator: "/"))'")
    }
}

extension GitRepository {
    /// Exports the directory `path` of the commit `revision` names; see `GitTree.export(_:into:)`.
    public func export(path: String, at revision: String, into cacheDirectory: String) throws(TreeExportError) -> String
    {
        let tree: GitTree
        do throws(GitError) {
            tree = try self.tree(at: revision)
        } catch {
            throw TreeExportError(path: path, commit: revision, problem: .repository(error))
        }
        return try tree.export(path, into: cacheDirectory)
    }
}

/// Writes a git tree below a fresh folder, one entry at a time, refusing what is not safe.
private struct TreeWriter {
    let tree: GitTree
    /// The exported directory as the caller wrote it, for messages.
    let path: String
    /// The exported directory's components inside the repository; empty for the root or a bad path.
    let root: [Substring]

    init(tree: GitTree, path: String) {
        self.tree = tree
        self.path = path
        self.root = GitTree.components(path) ?? []
    }

    func failure(_ problem: TreeExportError.Problem) -> TreeExportError {
        TreeExportError(path: path, commit: tree.commitID, problem: problem)
    }

    /// Runs one step that reads the repository, naming the export in its error.
    func step<Result>(_ body: () throws(GitError) -> Result) throws(TreeExportError) -> Result {
        do throws(GitError) { return try body() } catch { throw failure(.repository(error)) }
    }

    /// Runs one step that writes files, naming the export in its error.
    func step<Result>(_ body: () throws(FileFailure) -> Result) throws(TreeExportError) -> Result {
        do throws(FileFailure) {
            return try body()
        } catch {
            throw failure(.fileSystem(operation: error.operation, path: error.path, code: error.code))
        }
    }

    /// Writes the entries of `subtree`, found at `relative` below the exported root, into `directory`.
    func write(_ subtree: GitTree, at relative: [Substring], into directory: String) throws(TreeExportError) {
        for entry in subtree.entries() {
            let name = entry.name
            let inside = relative + [Substring(name)]
            let repositoryPath = (root + inside).joined(separator: "/")
            // A name with "/" or "." parts would write outside its folder; ".git" would plant a repository.
            guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0"),
                name.lowercased() != ".git"
            else { throw failure(.unsafeName(path: repositoryPath)) }
            let target = "\(directory)/\(name)"
            switch entry.mode {
            case .directory:
                try step { () throws(FileFailure) in try ExportFiles.makeDirectory(target) }
                let child = try step { () throws(GitError) in
                    try subtree.subtree(entry.id, operation: "read '\(repositoryPath)'")
                }
                try write(child, at: inside, into: target)
                try step { () throws(FileFailure) in try ExportFiles.sync(target) }
            case .file, .executableFile:
                let bytes = try step { () throws(GitError) in try tree.blob(entry.id, path: repositoryPath) }
                let permissions: mode_t = entry.mode == .executableFile ? 0o755 : 0o644
                try step { () throws(FileFailure) in try ExportFiles.writeFile(target, bytes, mode: permissions) }
            case .symlink:
                let bytes = try step { () throws(GitError) in try tree.blob(entry.id, path: repositoryPath) }
                let link = String(decoding: bytes, as: UTF8.self)
                guard staysInside(link, from: relative) else {
                    throw failure(.unsafeSymlink(path: repositoryPath, target: link))
                }
                try step { () throws(FileFailure) in try ExportFiles.makeSymlink(target, to: link) }
            case .submodule:
                throw failure(.submodule(path: repositoryPath))
            case .unknown(let mode):
                throw failure(.unsupportedEntry(path: repositoryPath, mode: mode))
            }
        }
    }

    /// Whether the symlink target `link`, in the folder `directory` (relative to the exported
    /// root), resolves inside the exported root, following links in the tree as the kernel would.
    /// Checking the text alone is not enough: `..` after a link climbs from the link's target.
    private func staysInside(_ link: String, from directory: [Substring]) -> Bool {
        guard !link.isEmpty, !link.hasPrefix("/"), !link.contains("\0") else { return false }
        var pending = Array(link.split(separator: "/").reversed())
        var resolved = directory
        var hops = 0
        // Below a missing entry or a file the kernel fails anyway; the rest is checked as text.
        var exists = true
        while let component = pending.popLast() {
            if component == "." { continue }
            if component == ".." {
                guard resolved.popLast() != nil else { return false }
                continue
            }
            resolved.append(component)
            guard exists else { continue }
            switch tree.entry(at: (root + resolved).joined(separator: "/")) {
            case .directory?:
                continue
            case .symlink(let next)?:
                hops += 1
                guard hops <= 40, !next.isEmpty, !next.hasPrefix("/") else { return false }
                resolved.removeLast()
                pending.append(contentsOf: next.split(separator: "/").reversed())
            case .file?, .submodule?, nil:
                exists = false
            }
        }
        return true
    }
}
