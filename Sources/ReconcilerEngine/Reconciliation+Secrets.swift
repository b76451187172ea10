import ReconcilerCore

extension Reconciliation {
    /// Refuses a commit whose secrets this host could not decrypt: its units would fail at
    /// start, so nothing is changed and the operator is told what to fix on the host or in git.
    func checkSecrets(_ state: DesiredState, commit: String) throws(ReconcileError) {
        let users = state.services.filter { !$0.secrets.isEmpty }
        guard !users.isEmpty else { return }
        let identity = configuration.ageIdentity
        var problems: [String] = []
        do {
            try ports.secrets.checkIdentity(at: identity)
            for service in users {
                for secret in service.secrets {
                    do {
                        try ports.secrets.check(secret, identity: identity)
                    } catch {
                        problems.append("service \(service.name), secret \(secret.name): \(error)")
                    }
                }
            }
        } catch {
            let names = users.map(\.name).joined(separator: ", ")
            problems.append("services \(names) use secrets: \(error)")
        }
        guard !problems.isEmpty else { return }
        throw ReconcileError(
            .refused,
            "commit \(commit.prefix(12)) was refused, nothing was changed:\n"
                + problems.map { "  \($0)" }.joined(separator: "\n"),
            commit: commit)
    }
}
