public import ReconcilerCore
public import ReconcilerGit

extension HostConfiguration {
    /// The git source this host follows, or a configuration error when no URL is set.
    public func gitSourceConfiguration() throws(ReconcileError) -> GitSourceConfiguration {
        guard let url = repositoryURL else {
            throw ReconcileError(
                .configuration,
                "no repository is configured: set repository.url in \(HostConfiguration.defaultPath) or pass --repo URL"
            )
        }
        let reference: TrackedReference =
            switch tracking {
            case .branch(let name): .branch(name)
            case .tag(let name): .tag(name)
            case .commit(let id): .commit(id)
            }
        let policy: SignaturePolicy? =
            switch signers {
            case .sshAllowedSigners(let path)?: .sshAllowedSigners(path: path)
            case .openPGPKeyring(let path)?: .openPGPKeyring(path: path)
            case nil: nil
            }
        return GitSourceConfiguration(
            url: url, reference: reference,
            credentials: GitCredentials(
                username: credentials.username, passwordFile: credentials.passwordFile,
                sshKeyFile: credentials.sshKeyFile, sshKeyPassphraseFile: credentials.sshKeyPassphraseFile,
                knownHostsFile: credentials.knownHostsFile, caFile: credentials.caFile),
            stateDirectory: stateDirectory, timeout: gitTimeout, requireFastForward: requireFastForward,
            signaturePolicy: policy)
    }
}
