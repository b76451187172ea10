public import ReconcilerCore
public import ReconcilerPOSIX

/// The engine's unit manager on a real host: systemd over a private system-bus connection
/// (made on first use, so commands that never touch systemd never need a bus), unit files
/// written atomically in the unit directory, and `systemd-analyze verify`.
///
/// The connection is kept between calls (the agent makes many per sync) and dropped after any
/// failed call, so a bus that went away (dbus restarted, systemd re-executed) is reconnected
/// on the next call instead of failing every sync from then on.
///
/// Not `Sendable`, like the bus it owns: one run uses it at a time.
public final class SystemdUnitManager: UnitManager {
    public let files: UnitFiles
    /// The files from git services read.
    public let configFiles: ConfigFileTree
    private var connection: SystemdManager?

    /// - Parameter unitDirectory: where the reconciler writes unit files.
    public init(unitDirectory: String, configFiles: ConfigFileTree = ConfigFileTree()) {
        files = UnitFiles(directory: unitDirectory)
        self.configFiles = configFiles
    }

    /// The connected manager; connects on first use.
    public func manager() throws(SystemdError) -> SystemdManager {
        if let connection { return connection }
        let manager = try SystemdManager.connect()
        connection = manager
        return manager
    }

    /// Runs `body` on the connected manager; a failure drops the connection.
    @discardableResult
    private func withManager<T>(_ body: (SystemdManager) throws -> T) throws -> T {
        let manager = try manager()
        do {
            return try body(manager)
        } catch {
            connection = nil
            throw error
        }
    }

    public func observe(_ name: String) throws -> ObservedUnit {
        try withManager { try $0.observeUnit(name, unitDirectory: files.directory) }
    }

    public func unitFileExists(_ name: String) -> Bool { files.exists(name) }

    public func writeUnitFile(_ name: String, contents: String) throws { try files.write(contents, to: name) }

    public func removeUnitFile(_ name: String) throws { try files.remove(name) }

    public func removeLeftoverFiles() { files.removeLeftovers() }

    public func daemonReload() throws { try withManager { try $0.daemonReload() } }

    public func enable(_ names: [String]) throws { _ = try withManager { try $0.enableUnitFiles(names) } }

    public func disable(_ names: [String]) throws { _ = try withManager { try $0.disableUnitFiles(names) } }

    public func start(_ name: String) throws { try withManager { try $0.startUnit(name) } }

    public func restart(_ name: String) throws { try withManager { try $0.restartUnit(name) } }

    public func reload(_ name: String) throws { try withManager { try $0.reloadUnit(name) } }

    public func observeFiles() throws -> [String: ObservedFile] { try configFiles.observe() }

    public func writeFile(_ path: String, contents: [UInt8], mode: UInt16) throws {
        try configFiles.write(path, contents: contents, mode: mode)
    }

    public func removeFile(_ path: String) throws { try configFiles.remove(path) }

    public func stop(_ name: String) throws { try withManager { try $0.stopUnit(name) } }

    public func resetFailed(_ name: String) throws { try withManager { try $0.resetFailed(name) } }

    public func verify(_ units: [(name: String, contents: String)]) throws -> [UnitProblem] {
        try UnitVerifier.verify(units: units)
    }
}
