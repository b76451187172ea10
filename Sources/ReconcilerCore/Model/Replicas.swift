/// `replicas:` of a Service: N instances of the same container, each its own unit
/// (`blog-1.service`, `blog-2.service`, ...) publishing its own host port.
public struct Replicas: Sendable, Hashable {
    /// How a change reaches the instances.
    public enum Update: String, Sendable, Hashable, Codable, CaseIterable {
        /// One instance at a time: it is replaced and must pass its health check before the
        /// next one is touched. The default for two or more instances.
        case rolling
        /// Every instance is replaced at once, as a single service is.
        case recreate
    }

    /// Most instances one service may ask for: names stay `NAME-1` to `NAME-9`, which
    /// sort in instance order.
    public static let maximumCount = 9

    public var count: Int
    /// The host port mapping of each instance, in instance order.
    public var ports: [PortMapping]
    public var update: Update

    public init(count: Int, ports: [PortMapping], update: Update? = nil) {
        self.count = count
        self.ports = ports
        self.update = update ?? (count >= 2 ? .rolling : .recreate)
    }

    /// The text a replicated service's health check uses for its instance's host port.
    public static let portPlaceholder = "{port}"
}

/// What an expanded instance of a replicated service knows of its group.
public struct ServiceInstance: Sendable, Hashable, Codable {
    /// The service's name as written (`blog`): its image and its `after:` name.
    public var group: String
    /// 1-based.
    public var index: Int
    public var update: Replicas.Update

    public init(group: String, index: Int, update: Replicas.Update) {
        self.group = group
        self.index = index
        self.update = update
    }

    /// `blog-2`: the unit stem and container name of instance 2 of `blog`.
    public static func name(group: String, index: Int) -> String { "\(group)-\(index)" }
}
