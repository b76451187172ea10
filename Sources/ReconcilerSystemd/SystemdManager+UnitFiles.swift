internal import Glibc

/// One symlink systemd created or removed while enabling or disabling unit files.
public struct UnitFileChange: Sendable, Equatable {
    /// `symlink` or `unlink`.
    public var type: String
    /// The symlink, e.g. /etc/systemd/system/multi-user.target.wants/blog.service.
    public var path: String
    /// What it points at (empty for `unlink`).
    public var source: String

    public init(type: String, path: String, source: String) {
        self.type = type
        self.path = path
        self.source = source
    }
}

/// The answer to EnableUnitFiles.
public struct UnitFileEnablement: Sendable, Equatable {
    /// False when none of the units has an [Install] section: enabling them did nothing.
    public var carriesInstallInfo: Bool
    public var changes: [UnitFileChange]

    public init(carriesInstallInfo: Bool, changes: [UnitFileChange]) {
        self.carriesInstallInfo = carriesInstallInfo
        self.changes = changes
    }
}

extension SystemdManager {
    /// Manager.Reload, as `systemctl daemon-reload`: systemd answers once the reload is done.
    ///
    /// A reload of a large system can outlast sd-bus's default 25 s, hence a longer wait.
    public func daemonReload(timeout: Double = 90) throws(SystemdError) {
        let call = try managerCall("Reload")
        _ = try bus.call(call, operation: "reload systemd", timeoutMicroseconds: UInt64(timeout * 1_000_000))
    }

    /// Enables unit files by name (their [Install] symlinks), never replacing a symlink that
    /// points elsewhere.
    ///
    /// Like `systemctl enable` it does not start anything; unlike it, it does not reload
    /// systemd: the caller reloads once for all its changes.
    @discardableResult
    public func enableUnitFiles(_ names: [String]) throws(SystemdError) -> UnitFileEnablement {
        let call = try managerCall("EnableUnitFiles")
        try call.append(strings: names)
        try call.append(bool: false)  // runtime: persist in /etc
        // force: false. With true systemd replaces an alias symlink of another unit (a
        // package's or an admin's) by one to ours; without it the call fails with EEXIST.
        try call.append(bool: false)
        let operation = "enable \(names.joined(separator: " "))"
        let reply: BusMessage
        do {
            reply = try bus.call(call, operation: operation)
        } catch  where error.errno == EEXIST || error.message.contains("already exists") {
            var refused = error
            refused.hint =
                "a symlink its [Install] section asks for would replace a file or symlink that is already"
                + " there, which reconciler never does; change the unit's [Install] section in git, or remove"
                + " that file by hand if it is stale"
            throw refused
        }
        let carriesInstallInfo = try reply.readBool()
        return UnitFileEnablement(carriesInstallInfo: carriesInstallInfo, changes: try Self.readChanges(reply))
    }

    /// Disables unit files by name (removes their [Install] symlinks); no reload, as for enabling.
    @discardableResult
    public func disableUnitFiles(_ names: [String]) throws(SystemdError) -> [UnitFileChange] {
        let call = try managerCall("DisableUnitFiles")
        try call.append(strings: names)
        try call.append(bool: false)  // runtime
        let reply = try bus.call(call, operation: "disable \(names.joined(separator: " "))")
        return try Self.readChanges(reply)
    }

    /// Clears the unit's failed state (ResetFailedUnit). A unit systemd has not loaded has none.
    public func resetFailed(_ name: String) throws(SystemdError) {
        let call = try managerCall("ResetFailedUnit")
        try call.append(string: name)
        do {
            _ = try bus.call(call, operation: "reset the failed state of \(name)")
        } catch  where error.name == "org.freedesktop.systemd1.NoSuchUnit" {
            return
        }
    }

    /// Reads `a(sss)`: change type, symlink, destination.
    private static func readChanges(_ reply: BusMessage) throws(SystemdError) -> [UnitFileChange] {
        var changes: [UnitFileChange] = []
        try reply.enterContainer("a", contents: "(sss)")
        while try reply.enterContainer("r", contents: "sss") {
            let type = try reply.readString()
            let path = try reply.readString()
            let source = try reply.readString()
            try reply.exitContainer()
            changes.append(UnitFileChange(type: type, path: path, source: source))
        }
        try reply.exitContainer()
        return changes
    }
}
