import Foundation

/// Plain-text tables and values for the reports people read in a terminal.
enum TextColumns {
    /// Rows padded so every column starts at the same place; no line ends in spaces.
    /// Cells are made terminal-safe first (a commit message, an image name from git), so
    /// no cell can break the columns or drive the terminal.
    static func align(_ rows: [[String]], indent: String = "", gap: Int = 2) -> [String] {
        let rows = rows.map { $0.map { TerminalSafeText.sanitized($0, multiline: false) } }
        let count = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = indent
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                line += isLast ? cell : cell.padding(toLength: widths[index] + gap, withPad: " ", startingAt: 0)
            }
            // An empty last cell would leave the padding of the one before it.
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// `2024-05-01T10:00:00Z`: UTC, so hosts in different zones read the same.
    static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// Commit ids as git shows them in one-line logs.
    static func short(_ commit: String) -> String { String(commit.prefix(12)) }

    /// `0.4 s`, `12.3 s`, `2 min 03 s`, `1 h 02 min`.
    static func duration(_ seconds: Double) -> String {
        let seconds = max(seconds, 0)
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, whole % 3600 / 60)
    }

    /// The first line of a message, for one-line summaries; the full text is in JSON output.
    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
    }
}
