import ReconcilerCore

extension GitCredentials {
    /// The file whose content the server judged, for "authentication refused" errors.
    var credentialFileInUse: String? { sshKeyFile ?? passwordFile }
}
