import Glibc

/// Writes a line to stderr, for errors printed before an `ExitCode` is thrown. Errors quote
/// outside text (a unit's log, a build's output), so controls are shown, not obeyed.
func printError(_ line: String) {
    let text = TerminalSafeText.sanitized(line) + "\n"
    _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
}
