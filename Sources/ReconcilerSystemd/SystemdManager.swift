public import ReconcilerCore

/// A client of org.freedesktop.systemd1.Manager over a private system-bus connection.
///
/// Not `Sendable`, like the bus it owns.
public final class SystemdManager {
    static let destination = "org.freedesktop.systemd1"
    static let path = "/org/freedesktop/systemd1"
    static let interface = "org.freedesktop.systemd1.Manager"

    // Internal so the manager's extensions in other files (units, jobs, unit files) share it.
    let bus: SystemdBus

    public init(bus: SystemdBus) {
        self.bus = bus
    }

    /// Connects to the system bus and returns a client of its service manager.
    public static func connect() throws(SystemdError) -> SystemdManager {
        SystemdManager(bus: try .system())
    }

    /// The manager's version and overall system state.
    public func info() throws(SystemdError) -> SystemdManagerInfo {
        SystemdManagerInfo(
            version: try stringProperty("Version"),
            systemState: try stringProperty("SystemState")
        )
    }

    /// Every unit the manager has loaded, as `systemctl list-units --all` shows them.
    public func listUnits() throws(SystemdError) -> [UnitStatus] {
        let call = try bus.methodCall(
            destination: Self.destination, path: Self.path, interface: Self.interface, member: "ListUnits")
        let reply = try bus.call(call, operation: "list units")
        // a(ssssssouso): name, description, load, active, sub, following, path, job id, job type, job path
        var units: [UnitStatus] = []
        try reply.enterContainer("a", contents: "(ssssssouso)")
        while try reply.enterContainer("r", contents: "ssssssouso") {
            let name = try reply.readString()
            let description = try reply.readString()
            let load = try reply.readString()
            let active = try reply.readString()
            let sub = try reply.readString()
            _ = try reply.readString()
            _ = try reply.readString("o")
            _ = try reply.readUInt32()
            _ = try reply.readString()
            _ = try reply.readString("o")
            try reply.exitContainer()
            units.append(
                UnitStatus(name: name, description: description, loadState: load, activeState: active, subState: sub))
        }
        try reply.exitContainer()
        return units.sorted { $0.name < $1.name }
    }

    /// Reads a string property of the Manager object through org.freedesktop.DBus.Properties.Get.
    func stringProperty(_ name: String) throws(SystemdError) -> String {
        let call = try bus.methodCall(
            destination: Self.destination, path: Self.path,
            interface: "org.freedesktop.DBus.Properties", member: "Get")
        try call.append(string: Self.interface)
        try call.append(string: name)
        let reply = try bus.call(call, operation: "read systemd property \(name)")
        try reply.enterContainer("v", contents: "s")
        let value = try reply.readString()
        try reply.exitContainer()
        return value
    }
}
