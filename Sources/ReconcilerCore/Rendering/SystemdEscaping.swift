/// Quoting for values written into unit files, per systemd.syntax(7) and systemd.service(5).
///
/// Validation already refuses control characters (a newline would start a new directive),
/// so these functions only have to keep systemd from reinterpreting printable text.
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
            case "\t": quoted += "\\t"
            default: quoted.append(character)
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
        value.replacingAll("%", with: "%%")
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
