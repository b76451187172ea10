/// Which hosts a document applies to. Absent means every host.
public struct HostSelector: Sendable, Equatable {
    /// Host names; empty means "any name".
    public var names: [String]
    /// Labels a host must all carry; empty means "any labels".
    public var labels: [String: String]

    public init(names: [String] = [], labels: [String: String] = [:]) {
        self.names = names
        self.labels = labels
    }

    /// True when `host` is named (or no names are given) and carries every label.
    public func matches(_ host: HostIdentity) -> Bool {
        (names.isEmpty || names.contains(host.name))
            && labels.allSatisfy { host.labels[$0.key] == $0.value }
    }
}

/// The host the reconciler runs on, as its configuration names it.
public struct HostIdentity: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]

    public init(name: String, labels: [String: String] = [:]) {
        self.name = name
        self.labels = labels
    }
}
