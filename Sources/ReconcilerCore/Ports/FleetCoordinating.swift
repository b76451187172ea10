public import FoundationEssentials

/// The fleet seen through the repository: the ring gate a commit must pass before this host
/// applies it, and the host's own report. The git adapter reads the refs of the listing the
/// poll made anyway and pushes this host's refs; the engine's tests use a fake.
public protocol FleetCoordinating: AnyObject {
    /// Nil when this host may apply `commit` now, or why it waits (its ring's gate).
    func wait(for commit: String, now: Date) -> RingWait?

    /// Publishes `report` when it differs from what the remote shows. Never throws and never
    /// blocks converging: a refused or failed push is logged and made again later.
    func publish(_ report: HostReport, now: Date)
}
