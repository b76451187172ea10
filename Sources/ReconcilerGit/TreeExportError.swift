import Glibc

/// Why a directory of a commit could not be exported to disk: what, where, and what to do.
public struct TreeExportError: Error, Sendable, CustomStringConvertible {
    public enum Problem: Sendable {
        /// The exported path is missing from the commit, or is not a directory there.
        case notADirectory
        /// A gitlink inside the exported directory: the submodule's files are not in this repository.
        case submodule(path: String)
        /// A symlink that is absolute or resolves outside the exported directory.
        case unsafeSymlink(path: String, target: String)
        /// An entry named `.`, `..`, `.git`, or with `/` or NUL in its name.
        case unsafeName(path: String)
        /// A tree entry with a mode git does not write (a malformed tree).
        case unsupportedEntry(path: String, mode: Int)
        /// The repository could not be read.
        case repository(GitError)
        /// Writing the export failed; `code` is the errno.
        case fileSystem(operation: String, path: String, code: Int32)
    }

    /// The exported directory, as given, inside the repository.
    public var path: String
    /// The commit (or the revision, when it did not resolve).
    public var commit: String
    public var problem: Problem

    public init(path: String, commit: String, problem: Problem) {
        self.path = path
        self.commit = commit
        self.problem = problem
    }

    public var description: String {
        let subject = "cannot export '\(path)' of commit \(commit)"
        switch problem {
        case .notADirectory:
            return "\(subject): it is not a directory in that commit (missing, a file, or reached through a"
                + " symlink); check the path, e.g. the build context in the manifest"
        case .submodule(let entry):
            return "\(subject): '\(entry)' is a git submodule, whose files are not in this repository;"
                + " commit the files themselves or move the submodule out of '\(path)'"
        case .unsafeSymlink(let entry, let target):
            return "\(subject): the symlink '\(entry)' -> '\(target)' is absolute or resolves outside '\(path)';"
                + " make it a relative link to something inside '\(path)', or commit the file itself"
        case .unsafeName(let entry):
            return "\(subject): '\(entry)' has a name that cannot be written safely ('.', '..', '.git', or"
                + " containing '/' or NUL); rename it in the repository"
        case .unsupportedEntry(let entry, let mode):
            return "\(subject): '\(entry)' has the unsupported mode \(String(mode, radix: 8)) (a malformed tree);"
                + " rewrite that commit with a standard git client"
        case .repository(let error):
            return "\(subject): reading the repository failed: \(error); if the mirror is damaged, delete it so"
                + " it is fetched again"
        case .fileSystem(let operation, let file, let code):
            return "\(subject): cannot \(operation) '\(file)': \(String(cString: strerror(code)));"
                + " check that the cache directory is writable and the disk has space"
        }
    }
}
