/// Names of environment variables and build arguments: `[A-Za-z_][A-Za-z0-9_]*`.
enum EnvironmentName {
    /// Why `name` cannot be a variable name, or nil when it can.
    static func problem(_ name: String) -> ValueProblem? {
        let valid =
            name.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return valid
            ? nil
            : ValueProblem(
                "'\(name)' is not a valid variable name; use letters, digits and '_', not starting with a digit")
    }
}
