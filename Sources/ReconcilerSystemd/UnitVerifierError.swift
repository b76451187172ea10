/// systemd-analyze could not give an answer: it did not start, was killed, or failed
/// without saying anything about the units.
public struct UnitVerifierError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var message: String
    /// The end of what systemd-analyze printed.
    public var outputTail: String

    public init(operation: String, message: String, outputTail: String = "") {
        self.operation = operation
        self.message = message
        self.outputTail = outputTail
    }

    public var description: String {
        var text = "\(operation): \(message)"
        if !outputTail.isEmpty {
            text += "\n" + outputTail.split(separator: "\n").map { "  | \($0)" }.joined(separator: "\n")
        }
        return text
    }
}
