/// The rules of a `.containerignore` or `.dockerignore` file: which files of a build context
/// are sent to the build. Used to tag built images by the content the build can see, so a
/// commit that touches only files outside it (the desired state itself, docs) does not
/// rebuild the image.
///
/// Follows Docker's rules: one pattern per line, `#` comments, `!` re-includes, the last
/// matching pattern wins, a pattern that matches a directory matches everything under it,
/// `*` and `?` stay within one path component and `**` spans any number of them.
///
/// Matching never backtracks more than once per star: a pattern of m parts checks a path of
/// n parts in O(n·m) steps, whatever the stars (a recursive matcher takes exponential time
/// on `*a*a*a*a*b` against a long run of `a`s, and the patterns come from the repository).
public struct DockerIgnore: Sendable, Equatable {
    /// The ignore files a context may hold, the one that wins first: podman and buildah read
    /// `.containerignore` and fall back to `.dockerignore`; docker reads only `.dockerignore`.
    public static func fileNames(for runtime: ContainerRuntime) -> [String] {
        switch runtime {
        case .podman: [".containerignore", ".dockerignore"]
        case .docker: [".dockerignore"]
        }
    }

    struct Rule: Sendable, Equatable {
        /// The pattern's components, then `**`: a rule matching a directory covers what is under it.
        var components: [Component]
        var excludes: Bool
    }

    /// One `/`-separated part of a pattern.
    enum Component: Sendable, Equatable {
        /// `**`: any number of path components, none included.
        case anyDepth
        /// A glob over one path component.
        case glob([Unicode.Scalar])
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
            let parts = line.split(separator: "/").filter { $0 != "." && !$0.isEmpty }
            guard !parts.isEmpty else { return nil }
            let components = parts.map { $0 == "**" ? Component.anyDepth : .glob(Array($0.unicodeScalars)) }
            return Rule(components: components + [.anyDepth], excludes: excludes)
        }
    }

    /// Whether the file at `path` (relative to the context, `/`-separated) is sent to the build.
    public func includes(_ path: String) -> Bool {
        let components = path.split(separator: "/").map { Array($0.unicodeScalars) }
        // The last matching rule decides.
        for rule in rules.reversed() where Self.matches(rule.components, components) {
            return !rule.excludes
        }
        return true
    }

    /// `**` against path components, with the one-star backtracking of `glob`.
    private static func matches(_ pattern: [Component], _ path: [[Unicode.Scalar]]) -> Bool {
        wildcardMatch(pattern.count, path.count) { index in
            if case .anyDepth = pattern[index] { return true }
            return false
        } matchesOne: { patternIndex, pathIndex in
            guard case .glob(let glob) = pattern[patternIndex] else { return false }
            return Self.glob(glob, path[pathIndex])
        }
    }

    /// `*`, `?` and literal characters within one path component (character classes are rare
    /// in ignore files and taken literally).
    static func glob(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        wildcardMatch(pattern.count, text.count) {
            pattern[$0] == "*"
        } matchesOne: { patternIndex, textIndex in
            pattern[patternIndex] == "?" || pattern[patternIndex] == text[textIndex]
        }
    }

    /// Greedy wildcard matching: on a mismatch, only the latest star takes one more item. An
    /// earlier star never needs to: whatever the later one can reach, it reaches too.
    /// - Parameters:
    ///   - isStar: the pattern item matches any number of text items.
    ///   - matchesOne: the (non-star) pattern item matches the one text item.
    private static func wildcardMatch(
        _ patternCount: Int, _ textCount: Int, isStar: (Int) -> Bool, matchesOne: (Int, Int) -> Bool
    ) -> Bool {
        var patternIndex = 0
        var textIndex = 0
        var star: (pattern: Int, text: Int)?
        while textIndex < textCount {
            if patternIndex < patternCount, isStar(patternIndex) {
                star = (patternIndex, textIndex)
                patternIndex += 1
            } else if patternIndex < patternCount, matchesOne(patternIndex, textIndex) {
                patternIndex += 1
                textIndex += 1
            } else if let last = star {
                star = (last.pattern, last.text + 1)
                patternIndex = last.pattern + 1
                textIndex = last.text + 1
            } else {
                return false
            }
        }
        while patternIndex < patternCount, isStar(patternIndex) { patternIndex += 1 }
        return patternIndex == patternCount
    }
}
