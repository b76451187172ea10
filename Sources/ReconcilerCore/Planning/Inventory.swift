/// What the reconciler owns on this host, from its state store: the only things it may
/// stop, disable or delete. A unit is deleted only when both this inventory and the marker
/// in the unit file say it is ours.
public struct Inventory: Sendable, Equatable, Codable {
    /// Unit names written by the reconciler and not yet deleted.
    public var units: Set<String>
    /// Image references the reconciler built or pulled.
    public var images: Set<String>

    public init(units: Set<String> = [], images: Set<String> = []) {
        self.units = units
        self.images = images
    }
}
