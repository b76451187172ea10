/// The network a service's container joins: `network: host` in a `kind: Service` document.
///
/// `host` is for a container that must reach services on the host's loopback (a reverse proxy
/// in front of instances published on 127.0.0.1) or serve the host's own ports directly; it
/// publishes nothing, so `ports` is refused with it.
public enum ServiceNetwork: String, Sendable, Equatable, CaseIterable {
    /// The runtime's default network, with `ports` published to the host.
    case bridge
    /// The host's network namespace: `--network host`.
    case host
}
