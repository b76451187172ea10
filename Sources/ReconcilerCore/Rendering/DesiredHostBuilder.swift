/// Turns a validated desired state read from a commit into the rendered `DesiredHost` the
/// planner compares with the host: unit files with their ownership markers, and the images
/// services need, built images tagged by a hash of what their build can see.
public struct DesiredHostBuilder {
    public var runtime: ContainerRuntime
    /// The host's age identity, for units with secrets.
    public var ageIdentity: String

    public init(runtime: ContainerRuntime, ageIdentity: String = HostConfiguration.defaultAgeIdentity) {
        self.runtime = runtime
        self.ageIdentity = ageIdentity
    }

    /// - Parameters:
    ///   - state: the validated desired state, already selected for this host.
    ///   - tree: the commit's files, for the build contexts.
    ///   - commit: the commit's full id, for the ownership marker.
    /// - Throws: `BuildContextError` when a build context cannot be read.
    public func build(_ state: DesiredState, tree: any RepositoryTree, commit: String) throws(BuildContextError)
        -> DesiredHost
    {
        var references: [String: String] = [:]
        var images: [DesiredImage] = []
        for service in state.services {
            switch service.image {
            case .reference(let reference):
                references[service.name] = reference
                // Services may share an image: it is pulled once.
                if !images.contains(where: { $0.reference == reference }) {
                    images.append(DesiredImage(reference: reference, origin: .pull, service: service.name))
                }
            case .build(let spec):
                let tag: String
                do {
                    tag = try Self.tag(for: spec, in: tree, runtime: runtime)
                } catch {
                    throw BuildContextError(
                        service: service.name, context: spec.context, location: service.location,
                        message: "\(error)")
                }
                let reference = DesiredStateRenderer.imageReference(for: service, buildTag: tag)
                references[service.name] = reference
                // The instances of a replicated service share one build.
                guard !images.contains(where: { $0.reference == reference }) else { continue }
                images.append(
                    DesiredImage(
                        reference: reference,
                        origin: .build(context: spec.context, dockerfile: spec.dockerfile, arguments: spec.arguments),
                        service: service.imageName))
            }
        }
        let rendered = DesiredStateRenderer(runtime: runtime, ageIdentity: ageIdentity).render(state) {
            references[$0.name] ?? ""
        }
        let services = Dictionary(uniqueKeysWithValues: state.services.map { ($0.unitName, $0) })
        let plainUnits = Dictionary(uniqueKeysWithValues: state.units.map { ($0.name, $0) })
        let units = rendered.map { unit in
            if let service = services[unit.name] {
                var desired = DesiredUnit(
                    name: unit.name, contents: unit.contents, enable: true, service: service.name,
                    image: references[service.name], after: service.after.map { "\($0).service" })
                desired.files = service.files.map { $0.hostPath(service: service.name) }.sorted()
                desired.reloads = !service.reload.isEmpty
                desired.instance = service.instance
                return desired
            }
            var desired = DesiredUnit(
                name: unit.name, contents: unit.contents, enable: plainUnits[unit.name]?.enable ?? true)
            let owner = ConfigFile.owner(unit: unit.name)
            desired.files = (plainUnits[unit.name]?.files ?? []).map { $0.hostPath(service: owner) }.sorted()
            desired.reloads = UnitFileText.declaresReload(unit.contents)
            return desired
        }
        var files = state.services.flatMap { service in
            service.files.map {
                DesiredFile(
                    path: $0.hostPath(service: service.name), contents: $0.contents, mode: $0.mode, source: $0.source,
                    service: service.name)
            }
        }
        for unit in state.units {
            let owner = ConfigFile.owner(unit: unit.name)
            files += unit.files.map {
                DesiredFile(
                    path: $0.hostPath(service: owner), contents: $0.contents, mode: $0.mode, source: $0.source,
                    service: nil)
            }
        }
        return DesiredHost(units: units, images: images, files: files, commit: commit)
    }

    /// The image tag: a hash of what the build can see, the git blob id of every file of the
    /// context that the runtime's ignore file lets through (`.containerignore` before
    /// `.dockerignore` for podman, as it reads them), plus the Dockerfile and build arguments. An
    /// unchanged context keeps its tag, so it is never rebuilt and its container never
    /// restarted, even when the commit changed other files (the desired state itself).
    static func tag(for spec: BuildSpec, in tree: any RepositoryTree, runtime: ContainerRuntime) throws -> String {
        let context = spec.context == "." ? "" : spec.context
        let prefix = context.isEmpty ? "" : context + "/"
        let ignore = DockerIgnore.fileNames(for: runtime).lazy.compactMap { try? tree.contents(of: prefix + $0) }
            .first.map { DockerIgnore(String(decoding: $0, as: UTF8.self)) }
        var text = ""
        for file in try tree.files(under: context) where ignore?.includes(file.path) ?? true {
            text += "\(file.path)\u{0}\(file.id)\n"
        }
        let dockerfile = try tree.contents(of: spec.dockerfile)
        text += "dockerfile \(spec.dockerfile)\u{0}" + String(decoding: dockerfile, as: UTF8.self)
        for (key, value) in spec.arguments.sorted(by: { $0.key < $1.key }) { text += "\narg \(key)=\(value)" }
        return ContentHash.hex(text)
    }
}

/// A service's build context could not be read from the commit.
public struct BuildContextError: Error, Sendable, Equatable, CustomStringConvertible {
    public var service: String
    /// The context directory, relative to the repository root.
    public var context: String
    /// The service's document.
    public var location: SourceLocation
    /// Why, as the tree said.
    public var message: String

    public var description: String {
        "\(location): cannot read the build context '\(context)' of service \(service): \(message)"
    }
}
