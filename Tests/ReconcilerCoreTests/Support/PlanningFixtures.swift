import ReconcilerCore

/// Desired hosts built the way the engine builds them (DesiredHostBuilder): units from the real
/// renderers, built images tagged by their context's tree id, `after:` as unit names.
enum PlanningFixtures {
    static let firstCommit = "0123456789abcdef0123456789abcdef01234567"
    static let secondCommit = "89abcdef0123456789abcdef0123456789abcdef"
    static let firstTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
    static let secondTree = "9c1185a5c5e9fc54612808977ee8f548b2258d31"

    /// The example blog, as desired-state/blog.yaml describes it.
    static let blog = ServiceSpec(
        name: "blog", description: "Flaskr blog",
        image: .build(BuildSpec(context: ".", dockerfile: "Dockerfile", arguments: ["BASE": "python:3.11-slim"])),
        ports: [PortMapping(hostPort: 8080, containerPort: 8080)],
        environment: ["FLASKR_DATABASE": "/data/flaskr.sqlite"],
        volumes: [VolumeMount(source: "blog-data", target: "/data")], user: "1000:1000",
        health: HealthCheck(probe: .http(url: "http://127.0.0.1:8080/healthz")),
        location: SourceLocation(file: "desired-state/blog.yaml", line: 2, column: 1))

    /// The blog's backup job: a oneshot started by its timer only.
    static let backupService = UnitSpec(
        name: "blog-backup.service",
        contents: """
            [Unit]
            Description=Back up the blog's database
            Requisite=blog.service
            After=blog.service

            [Service]
            Type=oneshot
            ExecStart=/usr/bin/podman exec blog python3 -m flaskr.backup

            """,
        sourcePath: "desired-state/files/blog-backup.service", enable: false,
        location: SourceLocation(file: "desired-state/blog.yaml", line: 24, column: 1))

    static let backupTimer = UnitSpec(
        name: "blog-backup.timer",
        contents: """
            [Unit]
            Description=Back up the blog's database twice a day

            [Timer]
            OnCalendar=*-*-* 03,15:00:00
            Persistent=true

            [Install]
            WantedBy=timers.target

            """,
        sourcePath: "desired-state/files/blog-backup.timer",
        location: SourceLocation(file: "desired-state/blog.yaml", line: 31, column: 1))

    /// A service running a pulled image, e.g. `proxy` on docker.io/library/nginx:1.27.
    static func pulled(_ name: String, _ reference: String, after: [String] = []) -> ServiceSpec {
        ServiceSpec(
            name: name, image: .reference(reference), after: after,
            location: SourceLocation(file: "desired-state/\(name).yaml", line: 1, column: 1))
    }

    /// The blog, its backup job and timer: this repository's own desired state.
    static func blogHost(commit: String = firstCommit, tree: String = firstTree) -> DesiredHost {
        host(services: [blog], units: [backupService, backupTimer], commit: commit, tree: tree)
    }

    static func host(
        services: [ServiceSpec], units: [UnitSpec] = [], commit: String = firstCommit, tree: String = firstTree
    ) -> DesiredHost {
        let state = DesiredState(services: services, units: units)
        let reference = { (service: ServiceSpec) in DesiredStateRenderer.imageReference(for: service, buildTag: tree) }
        let byUnit = Dictionary(uniqueKeysWithValues: services.map { ($0.unitName, $0) })
        let enabled = Dictionary(uniqueKeysWithValues: units.map { ($0.name, $0.enable) })
        let rendered = DesiredStateRenderer(runtime: .podman).render(state, image: reference)
        let desiredUnits = rendered.map { unit in
            guard let service = byUnit[unit.name] else {
                var desired = DesiredUnit(name: unit.name, contents: unit.contents, enable: enabled[unit.name] ?? true)
                let owner = ConfigFile.owner(unit: unit.name)
                let files = units.first { $0.name == unit.name }?.files ?? []
                desired.files = files.map { $0.hostPath(service: owner) }.sorted()
                desired.reloads = unit.contents.contains("\nExecReload=")
                return desired
            }
            var desired = DesiredUnit(
                name: unit.name, contents: unit.contents, enable: true, service: service.name,
                image: reference(service), after: service.after.map { "\($0).service" })
            desired.files = service.files.map { $0.hostPath(service: service.name) }.sorted()
            desired.reloads = !service.reload.isEmpty
            return desired
        }
        var files = services.flatMap { service in
            service.files.map {
                DesiredFile(
                    path: $0.hostPath(service: service.name), contents: $0.contents, mode: $0.mode, source: $0.source,
                    service: service.name)
            }
        }
        for unit in units {
            files += unit.files.map {
                DesiredFile(
                    path: $0.hostPath(service: ConfigFile.owner(unit: unit.name)), contents: $0.contents,
                    mode: $0.mode, source: $0.source, service: nil)
            }
        }
        let images = services.map { service in
            switch service.image {
            case .build(let spec):
                DesiredImage(
                    reference: reference(service),
                    origin: .build(context: spec.context, dockerfile: spec.dockerfile, arguments: spec.arguments),
                    service: service.name)
            case .reference(let name):
                DesiredImage(reference: name, origin: .pull, service: service.name)
            }
        }
        return DesiredHost(units: desiredUnits, images: images, files: files, commit: commit)
    }

    /// A stable 64-digit image id for a reference, as the runtime would report it.
    static func imageID(_ reference: String) -> String {
        var digits = ""
        for seed in UInt64(1)...4 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 &+ seed
            for byte in reference.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            let hex = String(hash, radix: 16)
            digits += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return digits
    }

    /// The host once `desired` has been applied: files written and loaded, enabled units
    /// enabled and running, each service's container on its image.
    static func converged(_ desired: DesiredHost) -> ObservedState {
        var observed = ObservedState()
        for image in desired.images { observed.images[image.reference] = imageID(image.reference) }
        for file in desired.files { observed.files[file.path] = ObservedFile(contents: file.contents, mode: file.mode) }
        for unit in desired.units {
            let hasInstall = unit.contents.contains("\n[Install]\n")
            observed.units[unit.name] = ObservedUnit(
                name: unit.name, loadState: "loaded", activeState: unit.enable ? "active" : "inactive",
                subState: unit.enable ? "running" : "dead",
                unitFileState: unit.enable && hasInstall ? "enabled" : hasInstall ? "disabled" : "static",
                fragmentPath: "/etc/systemd/system/\(unit.name)", fileContents: unit.contents,
                activeEnterTimestamp: unit.enable ? 1_750_000_000_000_000 : 0)
            if unit.enable, let service = unit.service, let image = unit.image {
                observed.containers[service] = ObservedContainer(
                    name: service, imageID: imageID(image), running: true)
            }
        }
        return observed
    }

    /// What the state store holds once `desired` has been applied.
    static func inventory(_ desired: DesiredHost) -> Inventory {
        Inventory(units: Set(desired.units.map(\.name)), images: Set(desired.images.map(\.reference)))
    }
}
