/// One finding about the desired state, with where it is and what to do about it.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    /// The field's path inside the document, e.g. `image.build.context`; empty for the whole document.
    public var path: String
    /// What is wrong and what was expected, in one sentence.
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation, path: String = "", _ message: String) {
        self.severity = severity
        self.location = location
        self.path = path
        self.message = message
    }

    /// `desired-state/blog.yaml:3:7: error: ports[0]: port 70000 is out of range 1-65535`
    public var description: String {
        let field = path.isEmpty ? "" : "\(path): "
        return "\(location): \(severity.rawValue): \(field)\(message)"
    }
}
