/// The state store: runs and their actions, the inventory of what the reconciler owns, and
/// the marks `status` shows. SQLite in production, an in-memory store in the engine's tests.
///
/// Every write is durable when the call returns: the engine records an action before it
/// acts, so a crash leaves a record of what was in flight.
public protocol RunStore {
    /// The marks: last applied, last healthy, last error, quarantine, degraded, the newest release.
    func summary() throws -> StoreSummary
    /// The units and images the reconciler owns.
    func inventory() throws -> Inventory
    /// The owned units, with the commit each was written from.
    func units() throws -> [UnitRecord]
    /// The images built or pulled for a service, newest first.
    func images(of service: String) throws -> [ImageRecord]
    /// Every image built or pulled, newest first.
    func allImages() throws -> [ImageRecord]

    /// Opens a run record. - Returns: its id.
    func beginRun(trigger: String, commit: String?) throws -> Int64
    /// Notes the repository (password hidden) a run works from.
    func recordRepository(_ repository: RunRepository, run: Int64) throws
    /// The repository of the newest run that noted one; nil before any did.
    func lastRunRepository() throws -> RunRepository?
    /// Records the planned actions of a run, each `intended`, before any is taken.
    /// - Returns: their ids, in order.
    func recordIntent(run: Int64, actions: [PlannedAction]) throws -> [Int64]
    /// Moves an action to a new state (`started`, then `succeeded` or `failed`).
    func markAction(_ id: Int64, state: ActionState, message: String?) throws
    /// Closes a run record. Closing a run that is closed already throws.
    func finishRun(_ id: Int64, result: RunResult, message: String?) throws
    /// Runs whose process died before closing them.
    func unfinishedRuns() throws -> [RunRecord]
    /// Closes every unfinished run as abandoned. - Returns: the runs closed.
    func abandonUnfinishedRuns(message: String) throws -> [RunRecord]
    /// The latest runs, newest first, with their actions.
    func history(limit: Int) throws -> [RunRecord]

    /// The unit file `name` was (about to be) written from `commit`.
    func recordUnitWritten(_ name: String, commit: String) throws
    /// The unit file `name` was deleted: the reconciler no longer owns it.
    func recordUnitRemoved(_ name: String) throws
    /// An image was built or pulled for `service` from `commit`.
    func recordImage(_ reference: String, service: String, commit: String) throws
    /// The image was removed.
    func forgetImage(_ reference: String) throws

    func setLastApplied(_ commit: String) throws
    func setLastHealthy(_ commit: String) throws
    func setLastError(_ message: String, commit: String?) throws
    func clearLastError() throws
    /// Adds a commit to the quarantine: it is not tried again until it is released.
    func quarantine(_ commit: String, reason: String?) throws
    /// Takes `commit` (every commit, when nil) out of the quarantine.
    /// - Returns: the commits released.
    func releaseQuarantine(_ commit: String?) throws -> [String]
    /// Suspends the host with a reason (nil: resumes it).
    func setSuspended(_ reason: String?) throws
    /// Marks the host degraded (nil: no longer).
    func setDegraded(_ message: String?, commit: String?) throws
    /// Notes the services found unhealthy on a poll (nil: all healthy again).
    func setUnhealthy(_ message: String?, commit: String?) throws

    /// Opens a release record in the `applying` state. - Returns: its id.
    func beginRelease(_ release: ReleaseStart) throws -> Int64
    /// Moves a release to a new state, with why.
    func markRelease(_ id: Int64, state: ReleaseState, message: String?) throws
    /// The latest releases, newest first.
    func releases(limit: Int) throws -> [ReleaseRecord]

    /// Deletes the oldest runs (and their actions) beyond `keeping`, and releases that are
    /// neither among the newest `keeping` nor unfinished. - Returns: the runs deleted.
    func pruneHistory(keeping: Int) throws -> Int
}

/// One run at a time on a host: `once`, `run` and `diff` take this lock.
public protocol RunLocking: Sendable {
    /// Takes the lock; it is held until the returned value is released.
    /// - Parameter wait: wait for a run in progress instead of failing at once.
    /// - Throws: an error naming the process that holds the lock, when `wait` is false.
    func acquire(wait: Bool) throws -> AnyObject
}
