internal import Glibc

/// Where a unit ended up once the job the reconciler queued for it has finished.
public struct UnitJobOutcome: Sendable, Equatable {
    public var unit: String
    /// `active`, `inactive`, `failed`, or `activating` while a failed service waits to restart.
    public var activeState: String
    public var subState: String
    /// The unit's `Result` (`success`, `exit-code`, `signal`, `timeout`, ...); empty for unit
    /// types without one (targets, slices, devices).
    public var result: String

    public init(unit: String, activeState: String, subState: String, result: String) {
        self.unit = unit
        self.activeState = activeState
        self.subState = subState
        self.result = result
    }

    /// A start ended well: the unit runs, or it ran to completion (Type=oneshot).
    public var started: Bool {
        activeState == "active" || activeState == "reloading" || (activeState == "inactive" && result == "success")
    }
}

extension SystemdManager {
    /// Starts `name` (mode "replace") and waits until its job has finished.
    /// - Throws: `SystemdError` when the job ends without the unit running (its `unitResult`
    ///   is the unit's Result), or when it has not finished after `timeout` seconds.
    @discardableResult
    public func startUnit(_ name: String, timeout: Double = 90) throws(SystemdError) -> UnitJobOutcome {
        try runJob("StartUnit", verb: "start", unit: name, timeout: timeout, mustRun: true)
    }

    /// Restarts `name` (mode "replace"; starts it if it was stopped) and waits as `startUnit` does.
    @discardableResult
    public func restartUnit(_ name: String, timeout: Double = 90) throws(SystemdError) -> UnitJobOutcome {
        try runJob("RestartUnit", verb: "restart", unit: name, timeout: timeout, mustRun: true)
    }

    /// Reloads `name` (mode "replace": its ExecReload=) and waits as `startUnit` does: a
    /// reload command that fails fails the job, and the unit must still run afterwards.
    @discardableResult
    public func reloadUnit(_ name: String, timeout: Double = 90) throws(SystemdError) -> UnitJobOutcome {
        let queuedAt = SystemdJournal.now()
        let outcome = try runJob("ReloadUnit", verb: "reload", unit: name, timeout: timeout, mustRun: true)
        // A failed ExecReload= leaves a service active: only its ReloadResult tells.
        guard let interface = Self.resultInterface(of: name), interface.hasSuffix(".Service") else { return outcome }
        let result = try property("ReloadResult", of: try loadUnit(name), interface: interface).readVariantString()
        guard result == "success" else {
            var error = SystemdError(
                operation: "reload \(name)", errno: EIO,
                message: "the reload command failed: result \(result); the unit still runs its old configuration",
                hint: "see journalctl -u \(name)")
            error.unitResult = result
            error.log = SystemdJournal.lastMessages(of: name, since: queuedAt)
            throw error
        }
        return outcome
    }

    /// Stops `name` (mode "replace") and waits until its job has finished. A unit that ends
    /// `failed` (its stop command failed) is stopped all the same: see `resetFailed`.
    @discardableResult
    public func stopUnit(_ name: String, timeout: Double = 90) throws(SystemdError) -> UnitJobOutcome {
        try runJob("StopUnit", verb: "stop", unit: name, timeout: timeout, mustRun: false)
    }

    /// Queues the job, then polls the unit's `Job` property until that job is gone.
    ///
    /// Polling rather than the JobRemoved signal: no match to install before the call and no
    /// bus event loop, and the job's end is read from the same unit whose state we report.
    /// Reading only ActiveState would be wrong for a restart (the unit is still active before
    /// the job runs) and for a failing service with Restart= (it waits in `activating`).
    /// On timeout the job is left queued: cancelling a half-done restart could leave less running.
    private func runJob(_ method: String, verb: String, unit name: String, timeout: Double, mustRun: Bool)
        throws(SystemdError) -> UnitJobOutcome
    {
        let operation = "\(verb) \(name)"
        // Where the unit's log for this job begins, so a failure quotes this attempt only.
        let queuedAt = SystemdJournal.now()
        let unitPath = try loadUnit(name)
        let call = try managerCall(method)
        try call.append(string: name)
        try call.append(string: "replace")
        let jobPath = try bus.call(call, operation: operation).readString("o")
        let jobID = UInt32(jobPath.split(separator: "/").last ?? "") ?? 0

        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        var pause: UInt32 = 5_000
        while try pendingJob(of: unitPath) == jobID, jobID != 0 {
            if ContinuousClock.now >= deadline {
                throw SystemdError(
                    operation: operation, errno: ETIMEDOUT,
                    message: "the job has not finished after \(Int(timeout)) s and is left queued",
                    hint: "see systemctl status \(name) and journalctl -u \(name)")
            }
            usleep(pause)
            pause = min(pause * 2, 100_000)
        }

        let outcome = try unitOutcome(name, path: unitPath)
        if mustRun && !outcome.started {
            var error = SystemdError(
                operation: operation, errno: EIO,
                message: "the unit did not start: it is \(outcome.activeState) (\(outcome.subState)),"
                    + " result \(outcome.result.isEmpty ? "unknown" : outcome.result)",
                hint: "see journalctl -u \(name)")
            error.unitResult = outcome.result
            error.log = SystemdJournal.lastMessages(of: name, since: queuedAt)
            throw error
        }
        return outcome
    }

    /// The id of the job queued for the unit, 0 when there is none (property `Job`, `(uo)`).
    private func pendingJob(of unitPath: String) throws(SystemdError) -> UInt32 {
        let reply = try property("Job", of: unitPath, interface: Self.unitInterface)
        try reply.enterContainer("v", contents: "(uo)")
        try reply.enterContainer("r", contents: "uo")
        let id = try reply.readUInt32()
        _ = try reply.readString("o")
        try reply.exitContainer()
        try reply.exitContainer()
        return id
    }

    private func unitOutcome(_ name: String, path: String) throws(SystemdError) -> UnitJobOutcome {
        let active = try property("ActiveState", of: path, interface: Self.unitInterface).readVariantString()
        let sub = try property("SubState", of: path, interface: Self.unitInterface).readVariantString()
        var result = ""
        if let interface = Self.resultInterface(of: name) {
            result = try property("Result", of: path, interface: interface).readVariantString()
        }
        return UnitJobOutcome(unit: name, activeState: active, subState: sub, result: result)
    }

    /// The type-specific interface that has a `Result` property, by the unit name's suffix.
    static func resultInterface(of name: String) -> String? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        let interfaces = [
            "service": "Service", "socket": "Socket", "mount": "Mount", "swap": "Swap", "timer": "Timer",
            "path": "Path", "automount": "Automount", "scope": "Scope",
        ]
        return interfaces[String(name[name.index(after: dot)...])].map { "org.freedesktop.systemd1.\($0)" }
    }
}
