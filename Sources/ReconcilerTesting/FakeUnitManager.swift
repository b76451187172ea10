public import ReconcilerCore
import Synchronization

/// The unit manager of a `FakeHost`.
public struct FakeUnitManager: UnitManager {
    let host: FakeHost

    public func observe(_ name: String) throws -> ObservedUnit {
        try host.state.withLock { state in
            if state.unobservable.contains(name) {
                throw FakeHostFailure("read the properties of \(name): Connection reset by peer")
            }
            let file = state.files[name]
            let unit = state.units[name]
            var observed = ObservedUnit(name: name)
            if let loaded = unit?.loaded {
                observed.loadState = "loaded"
                observed.fragmentPath = "/etc/systemd/system/\(name)"
                observed.needsDaemonReload = loaded != file
            }
            observed.activeState = unit?.active ?? "inactive"
            observed.subState = observed.activeState == "active" ? "running" : "dead"
            if file != nil { observed.unitFileState = unit?.enabled == true ? "enabled" : "disabled" }
            observed.fileContents = file
            return observed
        }
    }

    public func unitFileExists(_ name: String) -> Bool { host.state.withLock { $0.files[name] != nil } }

    public func writeUnitFile(_ name: String, contents: String) throws {
        host.state.withLock { state in
            state.files[name] = contents
            state.operations.append("write \(name)")
        }
    }

    public func removeUnitFile(_ name: String) throws {
        try host.state.withLock { state in
            guard let contents = state.files[name] else { return }
            guard OwnershipMarker.source(in: contents) != nil else {
                throw FakeHostFailure("refusing to delete \(name): it carries no ownership marker")
            }
            state.files[name] = nil
            state.operations.append("remove \(name)")
        }
    }

    public func removeLeftoverFiles() {}

    public func daemonReload() throws {
        host.state.withLock { state in
            for name in Set(state.units.keys).union(state.files.keys) {
                state.units[name, default: FakeHost.Unit()].loaded = state.files[name]
            }
            state.operations.append("daemon-reload")
        }
    }

    public func enable(_ names: [String]) throws {
        try host.state.withLock { state in
            for name in names {
                guard state.files[name] != nil else { throw FakeHostFailure("enable \(name): no such unit file") }
                state.units[name, default: FakeHost.Unit()].enabled = true
                state.operations.append("enable \(name)")
            }
        }
    }

    public func disable(_ names: [String]) throws {
        host.state.withLock { state in
            for name in names {
                state.units[name]?.enabled = false
                state.operations.append("disable \(name)")
            }
        }
    }

    public func start(_ name: String) throws { try run(name, verb: "start") }

    public func restart(_ name: String) throws { try run(name, verb: "restart") }

    private func run(_ name: String, verb: String) throws {
        try host.state.withLock { state in
            state.operations.append("\(verb) \(name)")
            guard let loaded = state.units[name]?.loaded else {
                throw FakeHostFailure("\(verb) \(name): Unit \(name) not found.")
            }
            let service = FakeHost.service(of: name)
            // The unit removes only its own container; a foreign one of that name keeps it.
            if state.containers[service]?.owned == false {
                state.units[name]?.active = "failed"
                throw FakeHostFailure("\(verb) \(name): the container name \(service) is already in use")
            }
            state.containers[service] = nil
            if let message = state.failingUnits[name] {
                state.units[name]?.active = "failed"
                throw FakeHostFailure("\(verb) \(name): \(message)")
            }
            // The container runs the image the file names, if the host has it.
            if name.hasSuffix(".service"),
                let (_, id) = state.images.sorted(by: { $0.key.count > $1.key.count })
                    .first(where: { loaded.contains(" " + $0.key) })
            {
                state.containers[service] = ObservedContainer(name: service, imageID: id, running: true)
            } else if loaded.contains("podman run") {
                state.units[name]?.active = "failed"
                throw FakeHostFailure("\(verb) \(name): the image the unit runs is not on the host")
            }
            state.units[name]?.active = "active"
        }
    }

    /// Keeps the container (a reload never replaces it); fails like systemd when the unit
    /// is not running or declares no ExecReload=.
    public func reload(_ name: String) throws {
        try host.state.withLock { state in
            state.operations.append("reload \(name)")
            guard state.units[name]?.active == "active", let loaded = state.units[name]?.loaded else {
                throw FakeHostFailure("reload \(name): Unit \(name) is not active.")
            }
            guard loaded.contains("\nExecReload=") else {
                throw FakeHostFailure("reload \(name): Job type reload is not applicable for unit \(name).")
            }
            if let message = state.failingReloads.removeValue(forKey: name) {
                throw FakeHostFailure("reload \(name): \(message)")
            }
        }
    }

    public func observeFiles() throws -> [String: ObservedFile] { host.state.withLock { $0.configFiles } }

    public func writeFile(_ path: String, contents: [UInt8], mode: UInt16) throws {
        host.state.withLock { state in
            state.configFiles[path] = ObservedFile(contents: contents, mode: mode)
            state.operations.append("write \(path)")
        }
    }

    public func removeFile(_ path: String) throws {
        host.state.withLock { state in
            state.configFiles[path] = nil
            state.operations.append("remove \(path)")
        }
    }

    public func stop(_ name: String) throws {
        host.state.withLock { state in
            state.operations.append("stop \(name)")
            if state.units[name] != nil { state.units[name]?.active = "inactive" }
            let service = FakeHost.service(of: name)
            if state.containers[service]?.owned != false { state.containers[service] = nil }
        }
    }

    public func resetFailed(_ name: String) throws {
        host.state.withLock { state in
            if state.units[name]?.active == "failed" { state.units[name]?.active = "inactive" }
        }
    }

    public func verify(_ units: [(name: String, contents: String)]) throws -> [UnitProblem] {
        host.state.withLock { state in
            let names = Set(units.map(\.name))
            return state.verifierProblems.filter { names.contains($0.unit) }
        }
    }
}

/// A fault of the fake host, worded like the real adapters' errors.
public struct FakeHostFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
