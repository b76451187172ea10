/// The rules of a `.dockerignore` file: which files of a build context are sent to the
/// build. Used to tag built images by the content the build can see, so a commit that
/// touches only files outside it (the desired state itself, docs) does not rebuild the image.
///
/// Follows Docker's rules: one pattern per line, `#` comments, `!` re-includes, the last
/// matching pattern wins, a pattern that matches a directory matches everything under it,
/// `*` and `?` stay within one path component and `**` spans any number of them.
public struct DockerIgnore: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var components: [Substring]
        var excludes: Bool
    }

    var rules: [Rule]

    public init(_ text: String) {
        rules = text.split(whereSeparator: \.isNewline).compactMap { rawLine in
            var line = rawLine.trimmingWhitespace()
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            var excludes = true
            if line.hasPrefix("!") {
                excludes = false
                line = line.dropFirst().trimmingWhitespace()
            }
            let components = line.split(separator: "/").filter { $0 != "." && !$0.isEmpty }
            guard !components.isEmpty else { return nil }
            return Rule(components: components, excludes: excludes)
        }
    }

    /// Whether the file at `path` (relative to the context, `/`-separated) is sent to the build.
    public func includes(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        var included = true
        for rule in rules {
            // A rule matching the path or any directory above it applies to the path.
            let matches = (1...max(1, components.count)).contains { length in
                Self.match(rule.components[...], Array(components.prefix(length))[...])
            }
            if matches { included = !rule.excludes }
        }
        return included
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ path: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            return (path.startIndex...path.endIndex).contains { match(rest, path[$0...]) }
        }
        guard let component = path.first, glob(first.utf8[...], component.utf8[...]) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// `*`, `?` and literal bytes within one path component (character classes are rare in
    /// .dockerignore files and treated literally).
    private static func glob(_ pattern: Substring.UTF8View.SubSequence, _ text: Substring.UTF8View.SubSequence) -> Bool
    {
        guard let head = pattern.first else { return text.isEmpty }
        switch head {
        case UInt8(ascii: "*"):
            let rest = pattern.dropFirst()
            var index = text.startIndex
            while true {
                if glob(rest, text[index...]) { return true }
                if index == text.endIndex { return false }
                index = text.index(after: index)
            }
        case UInt8(ascii: "?"):
            return !text.isEmpty && glob(pattern.dropFirst(), text.dropFirst())
        default:
            return text.first == head && glob(pattern.dropFirst(), text.dropFirst())
        }
    }
}
