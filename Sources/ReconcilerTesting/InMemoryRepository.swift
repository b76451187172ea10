import FoundationEssentials
public import ReconcilerCore
import Synchronization

/// A git repository held in memory, as the engine's desired-state source: commits of
/// files on one tracked branch, with force pushes and faults on demand. Nothing is written
/// to disk: build contexts are "exported" to paths that are only recorded.
public final class InMemoryRepository: DesiredStateSource, Sendable {
    private struct State {
        var commits: [String: (revision: Revision, tree: InMemoryTree, parent: String?)] = [:]
        var head: String?
        var counter = 0
        var updateFailure: (any Error)?
        var exports: [(context: String, commit: String)] = []
        var removedBuildDirectories: [String] = []
        var updates = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Commits `files` (path to text, the whole tree) on top of the branch head.
    /// - Returns: the new commit's id.
    @discardableResult
    public func commit(_ files: [String: String], message: String = "change") -> String {
        state.withLock { state in
            state.counter += 1
            let hex = String(state.counter, radix: 16)
            let id = "c0ffee" + String(repeating: "0", count: 34 - hex.count) + hex
            let revision = Revision(
                id: id, authorName: "Test", authorEmail: "test@example.org",
                authoredAt: 1_700_000_000 + Int64(state.counter),
                authorUTCOffsetMinutes: 0, message: message)
            state.commits[id] = (revision, InMemoryTree(files), state.head)
            state.head = id
            return id
        }
    }

    /// Points the branch at an earlier commit, as a force push that drops later ones does.
    public func forcePush(to id: String) {
        state.withLock { $0.head = id }
    }

    /// The branch head.
    public var head: String? { state.withLock { $0.head } }

    /// Makes every `update` fail with `error` (nil: succeed again), as an unreachable remote.
    public func failUpdates(with error: (any Error)?) {
        state.withLock { $0.updateFailure = error }
    }

    /// Build contexts the engine asked for, in order.
    public var exports: [(context: String, commit: String)] { state.withLock { $0.exports } }

    /// How many times the engine checked the remote.
    public var updateCount: Int { state.withLock { $0.updates } }

    public func update(lastAccepted: String?) throws -> SourceUpdate {
        try state.withLock { state in
            state.updates += 1
            if let failure = state.updateFailure { throw failure }
            guard let head = state.head, let commit = state.commits[head] else {
                throw RepositoryFailure(message: "branch 'main' is not on the remote")
            }
            let change: SourceUpdate.Change
            if let lastAccepted {
                if lastAccepted == head {
                    change = .unchanged
                } else if Self.isAncestor(lastAccepted, of: head, in: state) {
                    change = .fastForward(from: lastAccepted)
                } else {
                    change = .rewritten(from: lastAccepted)
                }
            } else {
                change = .first
            }
            return SourceUpdate(commit: commit.revision, change: change, fetched: change != .unchanged)
        }
    }

    public func revision(_ id: String) throws -> Revision {
        guard let commit = state.withLock({ $0.commits[id] }) else {
            throw RepositoryFailure(message: "no commit \(id)")
        }
        return commit.revision
    }

    public func tree(at commit: String) throws -> any RepositoryTree {
        guard let found = state.withLock({ $0.commits[commit] }) else {
            throw RepositoryFailure(message: "no commit \(commit)")
        }
        return found.tree
    }

    public func exportBuildContext(
        _ context: String, dockerfile: String, at commit: String, into directory: String
    ) throws -> ExportedBuildContext {
        state.withLock { $0.exports.append((context, commit)) }
        return ExportedBuildContext(directory: "\(directory)/\(commit)/\(context)", dockerfile: dockerfile)
    }

    public func removeBuildContexts(in directory: String) throws {
        state.withLock { $0.removedBuildDirectories.append(directory) }
    }

    /// The build directories emptied, in order.
    public var removedBuildDirectories: [String] { state.withLock { $0.removedBuildDirectories } }

    private static func isAncestor(_ ancestor: String, of commit: String, in state: State) -> Bool {
        var current: String? = commit
        while let id = current {
            if id == ancestor { return true }
            current = state.commits[id]?.parent
        }
        return false
    }
}

/// A fault of the in-memory repository.
public struct RepositoryFailure: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
