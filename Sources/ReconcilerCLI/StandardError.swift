import Glibc

/// Writes a line to stderr, for errors printed before an `ExitCode` is thrown.
func printError(_ line: String) {
    let text = line + "\n"
    _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
}
