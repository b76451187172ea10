public import ReconcilerCore
import Synchronization

/// The container engine of a `FakeHost`.
public struct FakeContainerDriver: ContainerDriver {
    let host: FakeHost

    public var runtime: ContainerRuntime { .podman }

    public func container(named name: String) throws -> ObservedContainer? {
        host.state.withLock { $0.containers[name] }
    }

    public func imageID(_ reference: String) throws -> String? {
        host.state.withLock { $0.images[reference] }
    }

    public func build(
        reference: String, contextDirectory: String, dockerfile: String, arguments: [String: String],
        timeout: Double
    ) throws -> String {
        try host.state.withLock { state in
            state.operations.append("build \(reference)")
            if let (_, message) = state.failingBuilds.first(where: { reference.contains("/\($0.key):") }) {
                throw FakeHostFailure("build image \(reference): \(message)")
            }
            state.imageCounter += 1
            let id = "image\(state.imageCounter)"
            state.images[reference] = id
            return id
        }
    }

    public func pull(_ reference: String, timeout: Double) throws -> String {
        host.state.withLock { state in
            state.operations.append("pull \(reference)")
            state.imageCounter += 1
            let id = "image\(state.imageCounter)"
            state.images[reference] = id
            return id
        }
    }

    public func removeImage(_ reference: String) throws {
        host.state.withLock { state in
            state.operations.append("remove-image \(reference)")
            state.images[reference] = nil
        }
    }
}
