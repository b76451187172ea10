import ReconcilerCore
import ReconcilerTesting

/// Plans for a replicated service, from YAML through the loader and builder as a run does.
extension PlanCase {
    /// `blog` with `count` instances on 8001... running `image`, updated as `update` says.
    static func replicatedHost(
        count: Int, image: String = "registry.example/blog:1.4", update: Replicas.Update? = nil
    ) -> DesiredHost {
        let ports = (1...count).map { "\"127.0.0.1:\(8000 + $0):8080\"" }.joined(separator: ", ")
        let strategy = update.map { ", update: \($0.rawValue)" } ?? ""
        let tree = InMemoryTree([
            "desired-state/blog.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: blog
            image: {ref: "\(image)"}
            replicas: {count: \(count), ports: [\(ports)]\(strategy)}
            health: {http: "http://127.0.0.1:{port}/healthz"}

            """
        ])
        // A fixture that fails to load or build is a broken test: an empty host makes every golden file differ.
        guard let state = DesiredStateLoader.load(from: tree).state,
            let host = try? DesiredHostBuilder(runtime: .podman).build(
                state, tree: tree, commit: PlanningFixtures.firstCommit)
        else { return DesiredHost(units: [], images: [], commit: "") }
        return host
    }

    static func replicas(_ name: String, from before: DesiredHost, to after: DesiredHost) -> PlanCase {
        PlanCase(
            name: name, desired: after, observed: PlanningFixtures.converged(before),
            inventory: PlanningFixtures.inventory(before))
    }

    static let replicaCases = [
        replicas("replicas-scaled-up", from: replicatedHost(count: 2), to: replicatedHost(count: 3)),
        replicas("replicas-scaled-down", from: replicatedHost(count: 3), to: replicatedHost(count: 1)),
        replicas(
            "replicas-image-changed", from: replicatedHost(count: 2),
            to: replicatedHost(count: 2, image: "registry.example/blog:1.5")),
        // The same change with `update: recreate`: no step is named rolling.
        replicas(
            "replicas-recreate-image-changed", from: replicatedHost(count: 2, update: .recreate),
            to: replicatedHost(count: 2, image: "registry.example/blog:1.5", update: .recreate)),
    ]
}
