import Foundation
import ReconcilerSystemd
import Testing

/// The happy path needs a booted systemd host and is covered end to end (EndToEndTests);
/// here we check the failure a person sees when there is no bus at all.
@Suite(.serialized)
struct SystemdBusTests {
    @Test func connectingWithoutASystemBusIsAClearError() throws {
        let socket = "/nonexistent-\(UUID().uuidString)/system_bus_socket"
        setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=\(socket)", 1)
        defer { unsetenv("DBUS_SYSTEM_BUS_ADDRESS") }

        let error = #expect(throws: SystemdError.self) { try SystemdManager.connect() }

        #expect(error?.errno == ENOENT)
        #expect(error?.description.hasPrefix("connect to the system bus: No such file or directory") == true)
        #expect(error?.hint?.contains("booted with systemd") == true)
    }
}
