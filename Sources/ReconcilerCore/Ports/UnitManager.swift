/// The host's service manager and its unit directory, as the engine needs them: systemd
/// over D-Bus in production, an in-memory host in the engine's tests.
///
/// Every method that changes the host waits until the change is done (a start waits for its
/// job to finish) and throws an error that names the unit and says what to look at.
public protocol UnitManager {
    /// The unit as the service manager and the unit directory see it now. A unit that does
    /// not exist anywhere reads as `loadState == "not-found"` with no file.
    func observe(_ name: String) throws -> ObservedUnit

    /// Whether a file of that name is in the unit directory.
    func unitFileExists(_ name: String) -> Bool

    /// Replaces the unit file atomically: a crash leaves the old file or the new one.
    func writeUnitFile(_ name: String, contents: String) throws

    /// Deletes the unit file, if and only if it still carries the ownership marker.
    func removeUnitFile(_ name: String) throws

    /// Deletes temporary files that an interrupted write left in the unit directory.
    func removeLeftoverFiles()

    /// Reloads every unit file (`systemctl daemon-reload`).
    func daemonReload() throws

    /// `systemctl enable`: links the units into the targets their `[Install]` names.
    func enable(_ names: [String]) throws

    /// `systemctl disable`.
    func disable(_ names: [String]) throws

    /// Starts the unit and waits until it runs (or, for a oneshot, ran successfully).
    func start(_ name: String) throws

    /// Restarts the unit (starts it when stopped) and waits as `start` does.
    func restart(_ name: String) throws

    /// Reloads the unit (`systemctl reload`, its ExecReload=) and waits until the job is done;
    /// a reload that fails, or a unit that is not running afterwards, throws.
    func reload(_ name: String) throws

    /// Every file in the reconciler's file tree (`ConfigFile.hostDirectory`), by path.
    func observeFiles() throws -> [String: ObservedFile]

    /// Replaces a file of the tree atomically.
    func writeFile(_ path: String, contents: [UInt8], mode: UInt16) throws

    /// Deletes a file of the tree.
    func removeFile(_ path: String) throws

    /// Stops the unit and waits until it has stopped.
    func stop(_ name: String) throws

    /// Forgets that the unit failed, so a unit that is gone does not keep the host degraded.
    func resetFailed(_ name: String) throws

    /// Checks unit files before any is written (`systemd-analyze verify`).
    /// - Returns: what the verifier said, errors and warnings.
    func verify(_ units: [(name: String, contents: String)]) throws -> [UnitProblem]
}
