internal import Yams

/// Locates the second occurrence of a duplicated mapping key.
///
/// Yams refuses a mapping with a repeated key but reports only where the first one is. To point
/// at the repetition, which is what a person has to delete, we compose the probe once more with
/// the first key's initial character replaced (one scalar for one, so positions are kept) and
/// look for the key of the same name in the same mapping.
enum DuplicateKey {
    /// Replaces the first key's initial character.
    static let marker: Unicode.Scalar = "\u{E002}"

    /// The diagnostic for `key`, repeated in the mapping whose first `key` is at `first`.
    /// - Parameters:
    ///   - key: The repeated key as Yams reports it (read from the probe text).
    ///   - first: Where the first occurrence is.
    ///   - probe: The probe text that Yams refused.
    ///   - file: The file's repository-relative path.
    static func diagnostic(key probeKey: String, first: Mark, probe: String, file: String) -> Diagnostic {
        let key = String(
            String.UnicodeScalarView(probeKey.unicodeScalars.map { $0 == YAMLFile.aliasStandIn ? "*" : $0 }))
        guard let (second, mapping) = secondOccurrence(of: probeKey, first: first, probe: probe) else {
            return Diagnostic(
                at: first.location(in: file), path: key,
                "key '\(key)' appears more than once in this mapping; each key may appear only once")
        }
        return Diagnostic(
            at: second.location(in: file), path: mapping.map { $0.key(key).text } ?? key,
            "duplicate key '\(key)': it is already set on line \(first.line); each key may appear only once")
    }

    /// The second key's position and, when known, the path of the mapping holding both.
    private static func secondOccurrence(of key: String, first: Mark, probe: String) -> (Mark, FieldPath?)? {
        guard let altered = replacingKeyStart(at: first, in: probe) else { return nil }
        var found: (Mark, FieldPath?)?
        let error = YAMLFile.compose(altered) { root in
            NodeWalk.visit(root) { node, path, _ in
                guard found == nil, case .mapping(let mapping) = node,
                    mapping.keys.contains(where: { $0.mark.map { same($0, first) } ?? false })
                else { return }
                for candidate in mapping.keys where candidate.scalar?.string == key {
                    if let mark = candidate.mark, !same(mark, first) { found = (mark, path) }
                }
            }
        }
        // A third occurrence makes the altered text fail again, now naming the second one.
        if found == nil, case .duplicatedKeysInMapping(let keys, let context)? = error as? YamlError,
            keys.contains(key)
        {
            return (context.mark, nil)
        }
        return found
    }

    private static func same(_ a: Mark, _ b: Mark) -> Bool { a.line == b.line && a.column == b.column }

    /// `probe` with the key's first character (after an opening quote) replaced by `marker`.
    private static func replacingKeyStart(at mark: Mark, in probe: String) -> String? {
        var scalars = Array(probe.unicodeScalars)
        var line = 1
        var index = 0
        while line < mark.line, index < scalars.count {
            if scalars[index] == "\n" { line += 1 }
            index += 1
        }
        index += mark.column - 1
        guard index < scalars.count else { return nil }
        if scalars[index] == "\"" || scalars[index] == "'" { index += 1 }
        guard index < scalars.count, scalars[index] != "\"", scalars[index] != "'", scalars[index] != "\n" else {
            return nil
        }
        scalars[index] = marker
        return String(String.UnicodeScalarView(scalars))
    }
}
