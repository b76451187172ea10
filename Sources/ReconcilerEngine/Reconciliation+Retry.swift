import Logging
import ReconcilerCore

extension Reconciliation {
    /// Takes a commit out of the quarantine (every commit, when nil; a unique prefix is
    /// enough) and clears the degraded mark, so the next run tries the newest commit again.
    /// - Returns: the commits released.
    public func retry(_ commit: String?) throws(ReconcileError) -> [String] {
        try withRunLock { store throws(ReconcileError) in try release(commit, store: store) }
    }

    private func release(_ commit: String?, store: any RunStore) throws(ReconcileError) -> [String] {
        let summary = try readSummary(store)
        var target: String?
        if let commit {
            let matches = summary.quarantined.map(\.commit).filter { $0.hasPrefix(commit.lowercased()) }
            guard matches.count == 1, let match = matches.first else {
                let listed = summary.quarantined.map { String($0.commit.prefix(12)) }
                let known =
                    listed.isEmpty ? "no commit is quarantined" : "quarantined: \(listed.joined(separator: ", "))"
                throw ReconcileError(
                    .configuration,
                    matches.isEmpty
                        ? "commit \(commit) is not quarantined (\(known))"
                        : "\(commit) names \(matches.count) quarantined commits; give more of the id (\(known))")
            }
            target = match
        }
        do {
            let released = try store.releaseQuarantine(target)
            if summary.degraded != nil { try store.setDegraded(nil, commit: nil) }
            for commit in released {
                logger.notice(
                    "released \(commit.prefix(12)) from the quarantine; the next run tries it again",
                    metadata: ["commit": "\(commit)", "action": "retry"])
            }
            return released
        } catch {
            throw ReconcileError(.store, "cannot update the quarantine: \(error)")
        }
    }
}
