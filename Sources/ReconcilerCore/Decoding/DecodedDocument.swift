/// A value together with where it was written, for checks that span documents.
struct Located<Value> {
    var value: Value
    var location: SourceLocation
    var path: String
}

/// A decoded `kind: Service` and the positions cross-document checks point at.
struct DecodedService {
    var spec: ServiceSpec
    var name: Located<String>
    var ports: [Located<PortMapping>]
    var after: [Located<String>]
    /// `replicas.ports`, one per instance.
    var instancePorts: [Located<PortMapping>] = []
}

/// A decoded `kind: Unit`.
struct DecodedUnit {
    var spec: UnitSpec
    var name: Located<String>
}

/// One document of the desired state, decoded far enough to take part in cross-document checks.
enum DecodedDocument {
    case service(DecodedService)
    case unit(DecodedUnit)
}
