import FoundationEssentials
public import ReconcilerCore
import Synchronization

/// The state store held in memory, with the same rules as the SQLite one: an ended run or
/// action cannot change, actions move intended -> started -> succeeded | failed, and a
/// run can be "crashed" (left open) to test recovery. Only for the engine's unit tests; the
/// store's own tests and the end-to-end tests use the real SQLite file.
public final class InMemoryRunStore: RunStore, Sendable {
    private struct State {
        var runs: [RunRecord] = []
        var repositories: [Int64: RunRepository] = [:]
        var units: [String: UnitRecord] = [:]
        var images: [String: ImageRecord] = [:]
        var imageOrder: [String: Int] = [:]
        var summary = StoreSummary()
        var releases: [ReleaseRecord] = []
        var nextAction: Int64 = 1
        var nextRun: Int64 = 1
        var nextRelease: Int64 = 1
        var writes = 0
        var failure: (any Error)?
    }

    private let state = Mutex(State())
    private let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    /// Every write so far: an in-sync run must leave this unchanged.
    public var writeCount: Int { state.withLock { $0.writes } }

    /// Every run recorded, oldest first.
    public var runs: [RunRecord] { state.withLock { $0.runs } }

    /// Makes every later call fail with `error` (nil: work again), as a full or broken disk.
    public func failEveryCall(with error: (any Error)?) {
        state.withLock { $0.failure = error }
    }

    private func read<T>(_ body: (State) throws -> T) throws -> T {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            return try body(state)
        }
    }

    private func write<T>(_ body: (inout State) throws -> T) throws -> T {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            state.writes += 1
            return try body(&state)
        }
    }

    public func summary() throws -> StoreSummary {
        try read { state in
            var summary = state.summary
            summary.release = state.releases.last
            return summary
        }
    }

    public func inventory() throws -> Inventory {
        try read { Inventory(units: Set($0.units.keys), images: Set($0.images.keys)) }
    }

    public func units() throws -> [UnitRecord] { try read { $0.units.values.sorted { $0.name < $1.name } } }

    public func images(of service: String) throws -> [ImageRecord] {
        try read { state in
            state.images.values.filter { $0.service == service }
                .sorted { state.imageOrder[$0.reference, default: 0] > state.imageOrder[$1.reference, default: 0] }
        }
    }

    public func allImages() throws -> [ImageRecord] {
        try read { state in
            state.images.values.sorted {
                state.imageOrder[$0.reference, default: 0] > state.imageOrder[$1.reference, default: 0]
            }
        }
    }

    public func beginRun(trigger: String, commit: String?) throws -> Int64 {
        let now = clock.now()
        return try write { state in
            let id = state.nextRun
            state.nextRun += 1
            state.runs.append(
                RunRecord(
                    id: id, trigger: trigger, commit: commit, startedAt: now, endedAt: nil, result: nil, message: nil,
                    actions: []))
            return id
        }
    }

    public func recordRepository(_ repository: RunRepository, run: Int64) throws {
        try write { state in
            guard state.runs.contains(where: { $0.id == run }) else {
                throw StoreRuleViolation("there is no run \(run)")
            }
            state.repositories[run] = repository
        }
    }

    public func lastRunRepository() throws -> RunRepository? {
        try read { state in state.repositories.max { $0.key < $1.key }?.value }
    }

    public func recordIntent(run: Int64, actions: [PlannedAction]) throws -> [Int64] {
        try write { state in
            let index = try Self.openRun(run, in: state)
            var ids: [Int64] = []
            for action in actions {
                let id = state.nextAction
                state.nextAction += 1
                state.runs[index].actions.append(
                    ActionRecord(
                        id: id, runID: run, position: state.runs[index].actions.count, kind: action.kind.rawValue,
                        target: action.target, service: action.service, reason: action.reason, state: .intended,
                        message: nil, startedAt: nil, endedAt: nil))
                ids.append(id)
            }
            return ids
        }
    }

    public func markAction(_ id: Int64, state next: ActionState, message: String?) throws {
        let now = clock.now()
        try write { state in
            guard let run = state.runs.firstIndex(where: { $0.actions.contains { $0.id == id } }),
                let index = state.runs[run].actions.firstIndex(where: { $0.id == id })
            else { throw StoreRuleViolation("there is no action \(id)") }
            _ = try Self.openRun(state.runs[run].id, in: state)
            let current = state.runs[run].actions[index].state
            let allowed =
                switch (current, next) {
                case (.intended, .intended): false
                case (.intended, _): true
                case (.started, .succeeded), (.started, .failed): true
                default: false
                }
            guard allowed else { throw StoreRuleViolation("the action is already \(current.rawValue)") }
            state.runs[run].actions[index].state = next
            state.runs[run].actions[index].message = message
            if next != .skipped, state.runs[run].actions[index].startedAt == nil {
                state.runs[run].actions[index].startedAt = now
            }
            if next.isFinal { state.runs[run].actions[index].endedAt = now }
        }
    }

    public func finishRun(_ id: Int64, result: RunResult, message: String?) throws {
        let now = clock.now()
        try write { state in
            let index = try Self.openRun(id, in: state)
            state.runs[index].endedAt = now
            state.runs[index].result = result
            state.runs[index].message = message
        }
    }

    public func unfinishedRuns() throws -> [RunRecord] { try read { $0.runs.filter { !$0.isFinished } } }

    public func abandonUnfinishedRuns(message: String) throws -> [RunRecord] {
        let now = clock.now()
        return try write { state in
            var closed: [RunRecord] = []
            for index in state.runs.indices where !state.runs[index].isFinished {
                state.runs[index].endedAt = now
                state.runs[index].result = .abandoned
                state.runs[index].message = message
                closed.append(state.runs[index])
            }
            return closed
        }
    }

    public func history(limit: Int) throws -> [RunRecord] { try read { Array($0.runs.reversed().prefix(limit)) } }

    public func recordUnitWritten(_ name: String, commit: String) throws {
        let now = clock.now()
        try write { $0.units[name] = UnitRecord(name: name, commit: commit, writtenAt: now) }
    }

    public func recordUnitRemoved(_ name: String) throws { try write { $0.units[name] = nil } }

    public func recordImage(_ reference: String, service: String, commit: String) throws {
        let now = clock.now()
        try write { state in
            state.images[reference] = ImageRecord(
                reference: reference, service: service, commit: commit, createdAt: now)
            state.imageOrder[reference] = (state.imageOrder.values.max() ?? 0) + 1
        }
    }

    public func forgetImage(_ reference: String) throws { try write { $0.images[reference] = nil } }

    public func setLastApplied(_ commit: String) throws {
        let now = clock.now()
        try write { $0.summary.lastApplied = CommitMark(commit: commit, at: now) }
    }

    public func setLastHealthy(_ commit: String) throws {
        let now = clock.now()
        try write { $0.summary.lastHealthy = CommitMark(commit: commit, at: now) }
    }

    public func setLastError(_ message: String, commit: String?) throws {
        let now = clock.now()
        try write { $0.summary.lastError = ErrorMark(message: message, commit: commit, at: now) }
    }

    public func clearLastError() throws { try write { $0.summary.lastError = nil } }

    public func quarantine(_ commit: String, reason: String?) throws {
        let now = clock.now()
        try write { state in
            state.summary.quarantined.removeAll { $0.commit == commit }
            state.summary.quarantined.insert(QuarantinedCommit(commit: commit, reason: reason, at: now), at: 0)
        }
    }

    public func releaseQuarantine(_ commit: String?) throws -> [String] {
        try write { state in
            let released = state.summary.quarantined.map(\.commit).filter { commit == nil || $0 == commit }
            state.summary.quarantined.removeAll { released.contains($0.commit) }
            return released.sorted()
        }
    }

    public func setSuspended(_ reason: String?) throws {
        let now = clock.now()
        try write { $0.summary.suspended = reason.map { ErrorMark(message: $0, commit: nil, at: now) } }
    }

    public func setDegraded(_ message: String?, commit: String?) throws {
        let now = clock.now()
        try write { $0.summary.degraded = message.map { ErrorMark(message: $0, commit: commit, at: now) } }
    }

    public func setUnhealthy(_ message: String?, commit: String?) throws {
        let now = clock.now()
        try write { $0.summary.unhealthy = message.map { ErrorMark(message: $0, commit: commit, at: now) } }
    }

    public func beginRelease(_ release: ReleaseStart) throws -> Int64 {
        let now = clock.now()
        return try write { state in
            let id = state.nextRelease
            state.nextRelease += 1
            state.releases.append(
                ReleaseRecord(
                    id: id, commit: release.commit, run: release.run, state: .applying,
                    gatingServices: release.gatingServices, images: release.images, addedUnits: release.addedUnits,
                    startedAt: now, updatedAt: now, message: nil))
            return id
        }
    }

    public func markRelease(_ id: Int64, state next: ReleaseState, message: String?) throws {
        let now = clock.now()
        try write { state in
            guard let index = state.releases.firstIndex(where: { $0.id == id }) else {
                throw StoreRuleViolation("there is no release \(id)")
            }
            state.releases[index].state = next
            state.releases[index].updatedAt = now
            if let message { state.releases[index].message = message }
        }
    }

    public func releases(limit: Int) throws -> [ReleaseRecord] {
        try read { Array($0.releases.reversed().prefix(limit)) }
    }

    /// Every release recorded, oldest first.
    public var allReleases: [ReleaseRecord] { state.withLock { $0.releases } }

    public func pruneHistory(keeping: Int) throws -> Int {
        try write { state in
            let kept = Set(state.runs.suffix(keeping).map(\.id))
            let before = state.runs.count
            state.runs.removeAll { $0.isFinished && !kept.contains($0.id) }
            let keptReleases = Set(state.releases.suffix(keeping).map(\.id))
            state.releases.removeAll { !$0.state.isUnfinished && !keptReleases.contains($0.id) }
            return before - state.runs.count
        }
    }

    private static func openRun(_ id: Int64, in state: State) throws -> Int {
        guard let index = state.runs.firstIndex(where: { $0.id == id }) else {
            throw StoreRuleViolation("there is no run \(id)")
        }
        if let result = state.runs[index].result {
            throw StoreRuleViolation("run \(id) already ended (\(result.rawValue))")
        }
        return index
    }
}

/// A write the store's rules refuse, as the SQLite store refuses it.
public struct StoreRuleViolation: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
