public import ReconcilerCore

/// The podman/docker CLI is the engine's container driver.
extension ContainerEngine: ContainerDriver {}
