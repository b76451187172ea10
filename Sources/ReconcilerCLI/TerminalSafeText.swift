/// Text from outside (commit messages, build logs, probe output, errors quoting them) made
/// safe to print on a terminal: every control character is shown as an escape instead of
/// being obeyed, so a commit message cannot recolour, move the cursor, retitle the window,
/// overwrite earlier lines with `\r`, or reorder what follows with a bidi override.
/// JSON output does not use this: its encoder escapes controls, and it stays faithful.
enum TerminalSafeText {
    /// `text` with C0 controls, DEL, C1 controls and bidi formatting characters replaced by
    /// `\xNN` or `\u{NNNN}`.
    /// - Parameters:
    ///   - text: the untrusted text.
    ///   - multiline: keep newlines and tabs (a multi-line error in its own field); false for
    ///     a table cell, where either would break the columns.
    static func sanitized(_ text: String, multiline: Bool = true) -> String {
        // Fast path: most text has nothing to escape.
        guard text.unicodeScalars.contains(where: { needsEscape($0, multiline: multiline) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if !needsEscape(scalar, multiline: multiline) {
                result.unicodeScalars.append(scalar)
            } else if scalar.value < 0x100 {
                result += "\\x" + hex(scalar.value, width: 2)
            } else {
                result += "\\u{" + hex(scalar.value, width: 4) + "}"
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !multiline
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidi marks, embeddings, overrides and isolates (the "Trojan Source" characters).
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
