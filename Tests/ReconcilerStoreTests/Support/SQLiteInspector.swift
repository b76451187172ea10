import Foundation

/// Reads a database file from another process, through Python's sqlite3 module: a second,
/// independent SQLite client sees what is really on disk, not what our connection caches.
enum SQLiteInspector {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `sql` (committing any change) and returns each row's columns joined by "|".
    ///
    /// Output goes through a file, not a pipe: a child spawned meanwhile by another test
    /// would inherit the pipe and hold it open for as long as it lives.
    static func query(_ path: String, _ sql: String) throws -> [String] {
        let output = path + ".inspect-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        let script = """
            import sqlite3, sys
            connection = sqlite3.connect(sys.argv[1])
            with open(sys.argv[3], "w") as out:
                try:
                    for row in connection.execute(sys.argv[2]):
                        print("|".join("" if value is None else str(value) for value in row), file=out)
                    connection.commit()
                except Exception as error:
                    print(error, file=out)
                    sys.exit(1)
            """
        let child = try ChildProcess(["/usr/bin/python3", "-c", script, path, sql, output])
        child.wait()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard child.exitCode == 0 else { throw Failure(description: "python3 sqlite3: \(sql): \(text)") }
        return text.split(separator: "\n").map(String.init)
    }
}
