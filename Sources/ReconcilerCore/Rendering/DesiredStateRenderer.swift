/// Renders every unit a host needs from its desired state, sorted by unit name.
public struct DesiredStateRenderer: Sendable {
    public var runtime: ContainerRuntime
    /// The host's age identity, for units with secrets.
    public var ageIdentity: String

    public init(runtime: ContainerRuntime, ageIdentity: String = HostConfiguration.defaultAgeIdentity) {
        self.runtime = runtime
        self.ageIdentity = ageIdentity
    }

    /// - Parameter image: the image reference each service runs (built tag or pulled ref).
    public func render(_ state: DesiredState, image: (ServiceSpec) -> String) -> [RenderedUnit] {
        let services = state.services.map {
            ServiceRenderer(runtime: runtime, ageIdentity: ageIdentity).render($0, image: image($0))
        }
        let units = state.units.map(UnitFileRenderer.render)
        return (services + units).sorted { $0.name < $1.name }
    }

    /// The image a service runs when no build has happened yet: its pulled reference, or
    /// its built name with `tag`.
    public static func imageReference(for service: ServiceSpec, buildTag: String) -> String {
        switch service.image {
        case .reference(let reference): reference
        case .build: ImageNaming.built(service: service.imageName, tag: buildTag)
        }
    }
}
