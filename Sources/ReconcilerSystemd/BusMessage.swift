internal import CSystemd
internal import Glibc

/// A D-Bus message, owning its `sd_bus_message*` and keeping its bus alive.
///
/// Only fixed-arity sd-bus calls are used: Swift cannot call the variadic
/// `sd_bus_message_append`/`sd_bus_message_read`.
final class BusMessage {
    private let handle: OpaquePointer
    // A message refers to its bus; the bus must outlive it.
    private let bus: SystemdBus

    init(owning handle: OpaquePointer, bus: SystemdBus) {
        self.handle = handle
        self.bus = bus
    }

    deinit {
        sd_bus_message_unref(handle)
    }

    func withUnsafeHandle<R>(_ body: (OpaquePointer) -> R) -> R {
        body(handle)
    }

    private static func typeCode(_ character: Unicode.Scalar) -> CChar {
        CChar(truncatingIfNeeded: character.value)
    }

    // MARK: Writing

    func append(string value: String) throws(SystemdError) {
        try check("append string to D-Bus message") {
            value.withCString { sd_bus_message_append_basic(handle, Self.typeCode("s"), $0) }
        }
    }

    func append(bool value: Bool) throws(SystemdError) {
        var raw: Int32 = value ? 1 : 0
        try check("append boolean to D-Bus message") {
            sd_bus_message_append_basic(handle, Self.typeCode("b"), &raw)
        }
    }

    func openContainer(_ type: Unicode.Scalar, contents: String) throws(SystemdError) {
        try check("open D-Bus container \(type)\(contents)") {
            sd_bus_message_open_container(handle, Self.typeCode(type), contents)
        }
    }

    func closeContainer() throws(SystemdError) {
        try check("close D-Bus container") { sd_bus_message_close_container(handle) }
    }

    /// Appends an array of strings (`as`).
    func append(strings values: [String]) throws(SystemdError) {
        try openContainer("a", contents: "s")
        for value in values { try append(string: value) }
        try closeContainer()
    }

    // MARK: Reading

    /// Reads a string-like value ('s', 'o' or 'g').
    func readString(_ type: Unicode.Scalar = "s") throws(SystemdError) -> String {
        var pointer: UnsafePointer<CChar>?
        try check("read \(type) from D-Bus message") {
            sd_bus_message_read_basic(handle, Self.typeCode(type), &pointer)
        }
        return pointer.map { String(cString: $0) } ?? ""
    }

    func readUInt32() throws(SystemdError) -> UInt32 {
        var value: UInt32 = 0
        try check("read u from D-Bus message") { sd_bus_message_read_basic(handle, Self.typeCode("u"), &value) }
        return value
    }

    func readUInt64() throws(SystemdError) -> UInt64 {
        var value: UInt64 = 0
        try check("read t from D-Bus message") { sd_bus_message_read_basic(handle, Self.typeCode("t"), &value) }
        return value
    }

    func readBool() throws(SystemdError) -> Bool {
        var value: Int32 = 0
        try check("read b from D-Bus message") { sd_bus_message_read_basic(handle, Self.typeCode("b"), &value) }
        return value != 0
    }

    /// Enters a container; returns false at the end of an enclosing array.
    @discardableResult
    func enterContainer(_ type: Unicode.Scalar, contents: String) throws(SystemdError) -> Bool {
        let code = try check("enter D-Bus container \(type)\(contents)") {
            sd_bus_message_enter_container(handle, Self.typeCode(type), contents)
        }
        return code > 0
    }

    func exitContainer() throws(SystemdError) {
        try check("exit D-Bus container") { sd_bus_message_exit_container(handle) }
    }

    /// Skips the next complete values of the given signature, e.g. "v" for a variant of any type.
    func skip(_ types: String) throws(SystemdError) {
        try check("skip \(types) in D-Bus message") { sd_bus_message_skip(handle, types) }
    }

    /// Reads a variant holding a string-like value of `type`.
    func readVariantString(_ type: Unicode.Scalar = "s") throws(SystemdError) -> String {
        try enterContainer("v", contents: String(type))
        let value = try readString(type)
        try exitContainer()
        return value
    }

    /// Reads a variant holding a `t`.
    func readVariantUInt64() throws(SystemdError) -> UInt64 {
        try enterContainer("v", contents: "t")
        let value = try readUInt64()
        try exitContainer()
        return value
    }

    /// Reads a variant holding a `b`.
    func readVariantBool() throws(SystemdError) -> Bool {
        try enterContainer("v", contents: "b")
        let value = try readBool()
        try exitContainer()
        return value
    }
}
