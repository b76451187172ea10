public import ReconcilerCore
import Synchronization

/// A host held in memory: a unit directory, a service manager and a container engine that
/// behave like systemd and podman where the engine can tell. A unit file is loaded only by a
/// daemon-reload; starting a service unit runs a container named after the service from the
/// image its file names; faults (a unit that fails to start, a failing build) are set by the
/// test. Every change is appended to `operations`, so a test can check order.
///
/// For the engine's unit tests only: the end-to-end tests do the same on real hosts.
public final class FakeHost: Sendable {
    struct Unit {
        var loaded: String?
        var active = "inactive"
        var enabled = false
    }

    struct State {
        var files: [String: String] = [:]
        var units: [String: Unit] = [:]
        var images: [String: String] = [:]
        var containers: [String: ObservedContainer] = [:]
        var failingUnits: [String: String] = [:]
        /// The reconciler's file tree (`ConfigFile.hostDirectory`), by path.
        var configFiles: [String: ObservedFile] = [:]
        /// Units whose reload command fails, with the message.
        var failingReloads: [String: String] = [:]
        var failingBuilds: [String: String] = [:]
        var verifierProblems: [UnitProblem] = []
        var unobservable: Set<String> = []
        var operations: [String] = []
        var imageCounter = 0
    }

    let state = Mutex(State())

    public init() {}

    /// The unit manager's face of this host.
    public var units: FakeUnitManager { FakeUnitManager(host: self) }
    /// The container engine's face of this host.
    public var containers: FakeContainerDriver { FakeContainerDriver(host: self) }

    /// Every change made, in order: "write blog.service", "daemon-reload", "start blog.service", ...
    public var operations: [String] { state.withLock { $0.operations } }

    /// Forgets the operations so far.
    public func clearOperations() { state.withLock { $0.operations = [] } }

    /// The unit files in the unit directory.
    public var files: [String: String] { state.withLock { $0.files } }

    /// The files of the reconciler's file tree, by path.
    public var configFiles: [String: ObservedFile] { state.withLock { $0.configFiles } }

    /// Makes the next reload of `unit` fail (its ExecReload= exits non-zero); the one after succeeds,
    /// as a reload of the previous, good file does.
    public func failReload(_ unit: String, _ message: String) {
        state.withLock { $0.failingReloads[unit] = message }
    }

    /// Whether the unit runs.
    public func isActive(_ name: String) -> Bool { state.withLock { $0.units[name]?.active == "active" } }

    /// The unit's active state: active, inactive or failed.
    public func activeState(_ name: String) -> String { state.withLock { $0.units[name]?.active ?? "inactive" } }

    public func isEnabled(_ name: String) -> Bool { state.withLock { $0.units[name]?.enabled ?? false } }

    /// The container of a service, nil when none runs.
    public func container(_ service: String) -> ObservedContainer? { state.withLock { $0.containers[service] } }

    /// The local images, by reference.
    public var images: [String: String] { state.withLock { $0.images } }

    /// Makes starting or restarting `unit` fail with `message` (nil: succeed again).
    public func failStarts(of unit: String, with message: String? = "the unit did not start: exit-code") {
        state.withLock { $0.failingUnits[unit] = message }
    }

    /// Makes building `reference`'s service fail (matched by the service name in the reference).
    public func failBuilds(of service: String, with message: String? = "RUN pip install failed") {
        state.withLock { $0.failingBuilds[service] = message }
    }

    /// Makes reading `unit` from the service manager fail, as a bus error would.
    public func failObservation(of unit: String) {
        state.withLock { _ = $0.unobservable.insert(unit) }
    }

    /// What the unit verifier reports on the next runs.
    public func setVerifierProblems(_ problems: [UnitProblem]) {
        state.withLock { $0.verifierProblems = problems }
    }

    /// A unit that is not the reconciler's: a package's file, loaded and running.
    public func installForeignUnit(_ name: String, contents: String = "[Service]\nExecStart=/usr/bin/true\n") {
        state.withLock { state in
            state.files[name] = contents
            state.units[name] = Unit(loaded: contents, active: "active", enabled: true)
        }
    }

    /// Changes a unit file behind the reconciler's back, as an operator's edit would.
    public func editUnitFile(_ name: String, contents: String) {
        state.withLock { $0.files[name] = contents }
    }

    /// Stops a unit behind the reconciler's back (a crash, or `systemctl stop`).
    public func stopBehindOurBack(_ name: String, failed: Bool = false) {
        state.withLock { state in
            state.units[name, default: Unit()].active = failed ? "failed" : "inactive"
            if state.containers[Self.service(of: name)]?.owned != false {
                state.containers[Self.service(of: name)] = nil
            }
        }
    }

    /// A container someone else made (no reconciler label), running under a service's name.
    public func addForeignContainer(_ name: String) {
        state.withLock { state in
            state.containers[name] = ObservedContainer(name: name, imageID: "foreign", running: true, owned: false)
        }
    }

    /// Adds a local image, as a pull or an earlier build left it.
    public func addImage(_ reference: String) {
        state.withLock { state in
            state.imageCounter += 1
            state.images[reference] = "image\(state.imageCounter)"
        }
    }

    static func service(of unit: String) -> String {
        unit.hasSuffix(".service") ? String(unit.dropLast(".service".count)) : unit
    }
}
