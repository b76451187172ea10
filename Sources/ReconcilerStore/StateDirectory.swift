import Glibc
import ReconcilerCore

/// Creating the state directory and the files in it with owner-only permissions.
///
/// The directory holds the run history (commit ids, error messages, unit names) and the
/// run lock; nobody but the reconciler's user needs to read it, so it is created 0700 and
/// its files 0600. Modes of existing paths are left alone: an operator may have chosen them.
enum StateDirectory {
    /// A failed system call: what was attempted, on which path, and `errno`.
    struct Failure: Error {
        var operation: String
        var path: String
        var code: Int32

        var message: String { String(cString: strerror(code)) }
    }

    /// Creates `path` and any missing parent, each with mode 0700.
    ///
    /// Walks the components itself rather than using `FileManager`, whose intermediate
    /// directories would get the process's default mode.
    static func create(_ path: String) throws(Failure) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw Failure(operation: "create the state directory", path: current, code: errno)
            }
        }
    }

    /// Creates the file at `path` with mode 0600 if it does not exist yet, and returns an
    /// open descriptor (close-on-exec, so no child process inherits it).
    static func openFile(_ path: String, operation: String) throws(Failure) -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor < 0 { throw Failure(operation: operation, path: path, code: errno) }
        return descriptor
    }
}
