/// Everything one commit asks for: the services and plain units of the desired-state folder.
public struct DesiredState: Sendable, Equatable {
    /// Services sorted by name.
    public var services: [ServiceSpec]
    /// Plain units sorted by name.
    public var units: [UnitSpec]

    public init(services: [ServiceSpec] = [], units: [UnitSpec] = []) {
        self.services = services.sorted { $0.name < $1.name }
        self.units = units.sorted { $0.name < $1.name }
    }

    /// The part of the desired state that applies to `host`.
    public func selecting(host: HostIdentity) -> DesiredState {
        DesiredState(
            services: services.filter { $0.hosts?.matches(host) ?? true },
            units: units.filter { $0.hosts?.matches(host) ?? true })
    }
}

/// Where a document or value came from, for error messages: `desired-state/blog.yaml:12:5`.
public struct SourceLocation: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The file's path relative to the repository root.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
