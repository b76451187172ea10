/// The `user:` field: `name`, `uid`, `name:group` or `uid:gid`, as `podman run --user` takes it.
enum UserSyntax {
    static let form = "\"name\", \"uid\" or \"uid:gid\", like \"1000:1000\""

    /// Checks a user specification.
    static func problem(_ text: String) -> ValueProblem? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy(isUserOrGroup) else {
            return ValueProblem("user '\(text)' is not of the form \(form), without spaces")
        }
        return nil
    }

    /// A number, or a name as useradd(8) accepts it.
    private static func isUserOrGroup(_ part: Substring) -> Bool {
        if !part.isEmpty, part.allSatisfy(\.isASCIIDigit) { return part.count <= 10 }
        guard let first = part.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return part.count <= 32 && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }
}
