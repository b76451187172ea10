internal import Glibc
public import ReconcilerCore

extension SystemdManager {
    /// The unit as systemd and the file system see it, for the planner.
    ///
    /// Two bus calls: Manager.LoadUnit (which answers even for a unit without a file, with
    /// LoadState `not-found`) and Properties.GetAll on its org.freedesktop.systemd1.Unit
    /// interface. The file is read through symlinks, so a masked unit (a link to /dev/null)
    /// reads as an empty file: present, without our marker, hence never touched.
    /// - Parameter unitDirectory: where the reconciler writes unit files.
    /// - Throws: `SystemdError` for a bus failure, a name that is not a unit name, or a unit
    ///   file that exists but cannot be read.
    public func observeUnit(_ name: String, unitDirectory: String = "/etc/systemd/system") throws(SystemdError)
        -> ObservedUnit
    {
        try Self.checkUnitName(name, operation: "observe unit \(name)")
        let path = try loadUnit(name)
        var unit = try unitProperties(name, path: path)
        unit.filePath = "\(unitDirectory)/\(name)"
        unit.fileContents = try UnitFileReader.contents(of: unit.filePath)
        return unit
    }

    /// Manager.LoadUnit: the unit's object path, loading it from disk if systemd has not yet.
    func loadUnit(_ name: String) throws(SystemdError) -> String {
        let call = try managerCall("LoadUnit")
        try call.append(string: name)
        let reply = try bus.call(call, operation: "load unit \(name)")
        return try reply.readString("o")
    }

    /// A new call of a method of the Manager object.
    func managerCall(_ member: String) throws(SystemdError) -> BusMessage {
        try bus.methodCall(destination: Self.destination, path: Self.path, interface: Self.interface, member: member)
    }

    /// Properties.Get on the object at `path`; the reply is positioned at the variant.
    func property(_ name: String, of path: String, interface: String) throws(SystemdError) -> BusMessage {
        let call = try bus.methodCall(
            destination: Self.destination, path: path, interface: "org.freedesktop.DBus.Properties", member: "Get")
        try call.append(string: interface)
        try call.append(string: name)
        return try bus.call(call, operation: "read property \(name) of \(path)")
    }

    /// The unit's state from one Properties.GetAll; properties we do not need are skipped.
    private func unitProperties(_ name: String, path: String) throws(SystemdError) -> ObservedUnit {
        let call = try bus.methodCall(
            destination: Self.destination, path: path, interface: "org.freedesktop.DBus.Properties", member: "GetAll")
        try call.append(string: Self.unitInterface)
        let reply = try bus.call(call, operation: "read the properties of \(name)")
        var unit = ObservedUnit(name: name)
        try reply.enterContainer("a", contents: "{sv}")
        while try reply.enterContainer("e", contents: "sv") {
            switch try reply.readString() {
            case "LoadState": unit.loadState = try reply.readVariantString()
            case "ActiveState": unit.activeState = try reply.readVariantString()
            case "SubState": unit.subState = try reply.readVariantString()
            case "UnitFileState": unit.unitFileState = try reply.readVariantString()
            case "FragmentPath": unit.fragmentPath = try reply.readVariantString()
            case "ActiveEnterTimestamp": unit.activeEnterTimestamp = try reply.readVariantUInt64()
            case "NeedDaemonReload": unit.needsDaemonReload = try reply.readVariantBool()
            default: try reply.skip("v")
            }
            try reply.exitContainer()
        }
        try reply.exitContainer()
        return unit
    }

    static let unitInterface = "org.freedesktop.systemd1.Unit"

    /// Refuses names that would reach outside the unit directory when used as a file name.
    static func checkUnitName(_ name: String, operation: String) throws(SystemdError) {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", name.contains(".") else {
            throw SystemdError(
                operation: operation, errno: EINVAL, message: "'\(name)' is not a unit name",
                hint: "a unit name looks like blog.service")
        }
    }
}
