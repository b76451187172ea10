/// Quoting for values written into unit files, per systemd.syntax(7) and systemd.service(5).
///
/// Validation already refuses control characters (a newline would start a new directive) and
/// a description ending in a backslash (a line continuation). These functions hold on their
/// own as well: nothing they return can start, end or join a line of the unit file.
public enum SystemdEscaping {
    /// Characters that never need quoting in a command line word.
    private static let safeInWord: Set<Character> = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=@+,-")

    /// One word of `ExecStart=` that systemd hands to the program exactly as `value`.
    ///
    /// systemd splits on whitespace, removes quotes, resolves C escapes (`\\`, `\"`),
    /// specifiers (`%n`, so `%` is written `%%`) and environment variables (`$X`, so `$`
    /// is written `$$`). A word that needs any of that is double-quoted.
    public static func execWord(_ value: String) -> String {
        if !value.isEmpty, value.allSatisfy(safeInWord.contains) {
            return value
        }
        var quoted = "\""
        for character in value {
            switch character {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "%": quoted += "%%"
            case "$": quoted += "$$"
            default:
                // C escapes systemd resolves in a word: the text is passed on, the line stays one line.
                for scalar in character.unicodeScalars {
                    switch scalar {
                    case "\n": quoted += "\\n"
                    case "\r": quoted += "\\r"
                    case "\t": quoted += "\\t"
                    case _ where isControl(scalar): quoted += escaped(scalar)
                    default: quoted.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        return quoted + "\""
    }

    /// A whole command line for `ExecStart=`/`ExecStop=`: the executable then its arguments.
    public static func execLine(_ words: [ExecWord]) -> String {
        words.map { word in
            switch word {
            case .literal(let value): execWord(value)
            case .specifiers(let value): value
            }
        }.joined(separator: " ")
    }

    /// Free text for settings that only expand specifiers, such as `Description=`.
    public static func specifierSafe(_ value: String) -> String {
        singleLine(value.replacingAll("%", with: "%%"))
    }

    /// Text that stays on its line, for comments, the ownership marker and verbatim values:
    /// control characters are spelt `\xNN` and a final backslash (a line continuation, even
    /// after blanks) is spelt `\x5c`. Lossless only for text validation lets through, which has
    /// neither; for anything else it is the last guard, not a faithful rendering.
    public static func singleLine(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            if isControl(scalar) { result += escaped(scalar) } else { result.unicodeScalars.append(scalar) }
        }
        if endsInBackslash(result), let last = result.lastIndex(of: "\\") {
            result.replaceSubrange(last...last, with: "\\x5c")
        }
        return result
    }

    /// True when `value` ends in a backslash, blanks after it ignored, as systemd's parser sees it.
    public static func endsInBackslash(_ value: String) -> Bool {
        value.reversed().drop(while: { $0 == " " || $0 == "\t" }).first == "\\"
    }

    /// C0, DEL and C1: what validation refuses in values.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// `\x7f`, or `\u0085` above one byte: C escapes systemd understands in command lines.
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return scalar.value < 0x80
            ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}

/// One word of a command line in a unit file.
public enum ExecWord: Sendable, Equatable, ExpressibleByStringLiteral {
    /// Text from the desired state: systemd must pass it on unchanged.
    case literal(String)
    /// Our own constant that uses specifiers such as `%t` on purpose; written as is.
    case specifiers(String)

    public init(stringLiteral value: String) {
        self = .literal(value)
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
