internal import CSystemd
internal import Glibc

/// A private connection to the system bus, owning its `sd_bus*`.
///
/// Opened with `sd_bus_open_system` rather than `sd_bus_default_system`, whose connection
/// is bound to the calling thread. Not `Sendable`: confine an instance to one task or actor.
public final class SystemdBus {
    private let handle: OpaquePointer

    private init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sd_bus_flush_close_unref(handle)
    }

    /// Connects to the system bus (`/run/dbus/system_bus_socket`, or `$DBUS_SYSTEM_BUS_ADDRESS`).
    /// - Throws: `SystemdError` naming the missing bus when there is none, e.g. on a machine
    ///   whose PID 1 is not systemd or in a container without D-Bus.
    public static func system() throws(SystemdError) -> SystemdBus {
        var bus: OpaquePointer?
        let code = sd_bus_open_system(&bus)
        if code < 0 {
            var error = SystemdError.from(code, operation: "connect to the system bus")
            if error.errno == ENOENT || error.errno == ECONNREFUSED {
                error.hint = "is this host booted with systemd and is dbus running? (systemctl status dbus)"
            }
            throw error
        }
        guard let bus else {
            throw SystemdError(operation: "connect to the system bus", errno: EIO, message: "no handle")
        }
        return SystemdBus(owning: bus)
    }

    /// Gives the raw handle to `body`; the handle must not escape it.
    func withUnsafeHandle<R>(_ body: (OpaquePointer) throws(SystemdError) -> R) throws(SystemdError) -> R {
        try body(handle)
    }

    /// A new method call message to `destination`'s object `path`.
    func methodCall(destination: String, path: String, interface: String, member: String) throws(SystemdError)
        -> BusMessage
    {
        var message: OpaquePointer?
        try check("create call \(interface).\(member)") {
            sd_bus_message_new_method_call(handle, &message, destination, path, interface, member)
        }
        guard let message else {
            throw SystemdError(operation: "create call \(interface).\(member)", errno: EIO, message: "no message")
        }
        return BusMessage(owning: message, bus: self)
    }

    /// Sends `call` and waits for its reply.
    /// - Parameter timeoutMicroseconds: 0 uses sd-bus's default (25 s).
    func call(_ call: BusMessage, operation: String, timeoutMicroseconds: UInt64 = 0) throws(SystemdError)
        -> BusMessage
    {
        var error = sd_bus_error()
        defer { sd_bus_error_free(&error) }
        var reply: OpaquePointer?
        let code = call.withUnsafeHandle { message in
            sd_bus_call(handle, message, timeoutMicroseconds, &error, &reply)
        }
        if code < 0 {
            throw SystemdError.from(code, operation: operation, busError: &error)
        }
        guard let reply else {
            throw SystemdError(operation: operation, errno: EIO, message: "no reply")
        }
        return BusMessage(owning: reply, bus: self)
    }
}
