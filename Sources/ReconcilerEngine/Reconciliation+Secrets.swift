import ReconcilerCore

extension Reconciliation {
    /// Refuses a commit whose secrets this host could not decrypt: its units would fail at
    /// start, so nothing is changed and the operator is told what to fix on the host or in git.
    /// The same for env files the operator must place on the host (`envFiles:`).
    func checkSecrets(_ state: DesiredState, commit: String) throws(ReconcileError) {
        var problems: [String] = []
        var checkedFiles: Set<String> = []
        for service in state.services {
            for path in service.environmentFiles where checkedFiles.insert(path).inserted {
                do {
                    try ports.secrets.checkEnvironmentFile(at: path)
                } catch {
                    let users = state.services.filter { $0.environmentFiles.contains(path) }.map(\.name)
                    problems.append("services \(users.joined(separator: ", ")) need \(path): \(error)")
                }
            }
        }
        let users = state.services.filter { !$0.secrets.isEmpty }
        let identity = configuration.ageIdentity
        if !users.isEmpty {
            checkAgeSecrets(users, identity: identity, into: &problems)
        }
        guard !problems.isEmpty else { return }
        throw ReconcileError(
            .refused,
            "commit \(commit.prefix(12)) was refused, nothing was changed:\n"
                + problems.map { "  \($0)" }.joined(separator: "\n"),
            commit: commit)
    }

    private func checkAgeSecrets(_ users: [ServiceSpec], identity: String, into problems: inout [String]) {
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
    }
}
