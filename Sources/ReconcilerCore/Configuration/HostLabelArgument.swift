/// A host label given on the command line as `KEY=VALUE` (`--label web=blog`), which adds
/// to or replaces the labels of the host configuration for one command.
///
/// The shape is narrower than YAML allows so a typo cannot select documents by accident:
/// a shell would otherwise pass a stray space, quote or newline through silently.
public enum HostLabelArgument {
    /// Longest key and value, as Kubernetes label names and values.
    static let maximumLength = 63

    /// The pair in `text`, or a message saying what is wrong with it.
    public static func parse(_ text: String) -> Result<(key: String, value: String), Problem> {
        guard let equals = text.firstIndex(of: "=") else {
            return .failure(Problem("--label takes KEY=VALUE (for example web=blog), not '\(text)'"))
        }
        let key = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        if key.isEmpty {
            return .failure(Problem("--label '\(text)' has no key before '='; write KEY=VALUE, e.g. web=blog"))
        }
        if let problem = shapeProblem(key, allowEmpty: false) {
            return .failure(Problem("--label '\(text)': the key \(problem)"))
        }
        if let problem = shapeProblem(value, allowEmpty: true) {
            return .failure(Problem("--label '\(text)': the value \(problem)"))
        }
        return .success((key, value))
    }

    /// Every `--label` in order; a key given twice with different values is refused, since
    /// which one wins would be a guess.
    public static func parse(_ texts: [String]) -> Result<[String: String], Problem> {
        var labels: [String: String] = [:]
        for text in texts {
            switch parse(text) {
            case .failure(let problem): return .failure(problem)
            case .success(let pair):
                if let earlier = labels[pair.key], earlier != pair.value {
                    return .failure(
                        Problem(
                            "--label \(pair.key) is given twice (\(pair.key)=\(earlier) and "
                                + "\(pair.key)=\(pair.value)); give each key once"))
                }
                labels[pair.key] = pair.value
            }
        }
        return .success(labels)
    }

    /// Letters, digits, `.`, `_`, `-` and `/`, starting with a letter or digit.
    static func shapeProblem(_ text: String, allowEmpty: Bool) -> String? {
        if text.isEmpty { return allowEmpty ? nil : "is empty" }
        if text.count > maximumLength {
            return "is \(text.count) characters long; at most \(maximumLength) are allowed"
        }
        if let bad = text.unicodeScalars.first(where: { !allowed($0) }) {
            return "contains \(Self.shown(bad)); use letters, digits, '.', '_', '-' and '/'"
        }
        if let first = text.unicodeScalars.first, !isAlphanumeric(first) {
            return "must start with a letter or digit, not '\(first)'"
        }
        return nil
    }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || ".-_/".unicodeScalars.contains(scalar)
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// A control character or space named, so the message itself stays on one line.
    private static func shown(_ scalar: Unicode.Scalar) -> String {
        if scalar == " " { return "a space" }
        if scalar.value < 0x20 || scalar.value == 0x7F {
            return "the control character U+\(String(scalar.value, radix: 16, uppercase: true))"
        }
        return "'\(scalar)'"
    }

    /// What is wrong with a `--label`, worded for the person who typed it.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
