import Foundation
import Testing

/// Drives `scripts/testbed`, the project's tool for booting real systemd hosts.
///
/// End-to-end tests need root and systemd-nspawn. Where they are missing the tests fail
/// with the reason when CI=true, and are skipped with the reason printed otherwise.
///
/// Every end-to-end test's time limit is 60 minutes, however short the test: a test's
/// clock starts when it is scheduled, and the test bodies block their threads, so on a 2-core
/// machine they run about two at a time and a short test may wait behind long ones (a CI run
/// failed two 10-minute limits on tests that take seconds). The limits catch hangs, not slowness.
enum Testbed {
    static let repositoryRoot: String = {
        // .../Tests/EndToEndTests/Testbed.swift -> repository root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    static let script = repositoryRoot + "/scripts/testbed"

    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Why hosts cannot be booted here, or nil when they can.
    static let unavailableReason: String? = {
        if getuid() != 0 { return "end-to-end tests need root (systemd-nspawn, veth, iptables)" }
        for tool in ["/usr/bin/systemd-nspawn", "/usr/bin/nsenter", "/usr/sbin/debootstrap"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is missing; run scripts/install-dependencies (make test does)"
        }
        return nil
    }()

    /// Run end-to-end tests when hosts can be booted, and always under CI (where they
    /// then fail loudly instead of hiding a missing part).
    static var shouldRun: Bool {
        if let reason = unavailableReason, !isCI {
            print("skipping end-to-end tests: \(reason)")
            return false
        }
        return true
    }

    /// The release binary installed into hosts: `$RECONCILER_BINARY`, else .build/release/reconciler.
    static var reconcilerBinary: String {
        ProcessInfo.processInfo.environment["RECONCILER_BINARY"] ?? repositoryRoot + "/.build/release/reconciler"
    }

    static func requireAvailable() throws {
        if let reason = unavailableReason {
            Issue.record("cannot boot test hosts: \(reason)")
            throw TestbedError(message: reason)
        }
        guard FileManager.default.isExecutableFile(atPath: reconcilerBinary) else {
            let message =
                "no reconciler binary at \(reconcilerBinary); build it with "
                + "`swift build -c release --static-swift-stdlib` (make test does)"
            Issue.record(Comment(rawValue: message))
            throw TestbedError(message: message)
        }
    }

    @discardableResult
    static func run(_ arguments: [String], timeout: TimeInterval = 600) throws -> CommandResult {
        try Command.run(script, arguments, timeout: timeout)
    }
}

struct TestbedError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// One booted host with the reconciler installed at /usr/local/bin/reconciler.
struct TestHost: Sendable {
    let name: String
    let address: String

    /// Boots (or reuses) host `name` and installs the current release binary in it.
    static func boot(_ name: String) throws -> TestHost {
        try Testbed.requireAvailable()
        let boot = try Testbed.run(["boot", name])
        guard boot.status == 0 else { throw TestbedError(message: "testbed boot \(name) failed: \(boot)") }
        let copy = try Testbed.run(["cp", name, Testbed.reconcilerBinary, "/usr/local/bin/reconciler"])
        guard copy.status == 0 else { throw TestbedError(message: "installing the binary failed: \(copy)") }
        let address = try Testbed.run(["addr", name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return TestHost(name: name, address: address)
    }

    /// Runs a command inside the host and returns its result, whatever the exit status.
    @discardableResult
    func exec(_ arguments: String..., timeout: TimeInterval = 300) throws -> CommandResult {
        try Testbed.run(["exec", name] + arguments, timeout: timeout)
    }

    /// Runs a command inside the host and fails unless it exits 0; returns its stdout.
    @discardableResult
    func mustExec(_ arguments: String..., timeout: TimeInterval = 300) throws -> String {
        try mustExec(arguments, timeout: timeout)
    }

    @discardableResult
    func mustExec(_ arguments: [String], timeout: TimeInterval = 300) throws -> String {
        let result = try Testbed.run(["exec", name] + arguments, timeout: timeout)
        guard result.status == 0 else {
            throw TestbedError(message: "`\(arguments.joined(separator: " "))` in \(name) failed: \(result)")
        }
        return result.stdout
    }

    func stop() throws {
        try Testbed.run(["stop", name])
    }
}
