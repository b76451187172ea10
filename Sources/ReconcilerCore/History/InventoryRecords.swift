public import FoundationEssentials

/// A unit file the reconciler wrote and has not deleted.
public struct UnitRecord: Sendable, Equatable, Codable {
    public var name: String
    /// The desired-state commit the unit was last written from.
    public var commit: String
    public var writtenAt: Date

    public init(name: String, commit: String, writtenAt: Date) {
        self.name = name
        self.commit = commit
        self.writtenAt = writtenAt
    }
}

/// An image the reconciler built or pulled for a service.
public struct ImageRecord: Sendable, Equatable, Codable {
    public var reference: String
    public var service: String
    public var commit: String
    public var createdAt: Date

    public init(reference: String, service: String, commit: String, createdAt: Date) {
        self.reference = reference
        self.service = service
        self.commit = commit
        self.createdAt = createdAt
    }
}
