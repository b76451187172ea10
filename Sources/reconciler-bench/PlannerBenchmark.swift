import Foundation
import ReconcilerCore

/// The planner's cost as the number of services grows: a host in sync (the agent's every
/// cycle) and a fresh host (everything new), at 100, 1,000 and 10,000 services. The cost per
/// service should stay flat; the budget is 1,000 services in under 50 ms.
struct PlannerBenchmark {
    var iterations: Int
    var sizes = [100, 1_000, 10_000]

    func run() {
        var rows: [Measurement] = []
        for size in sizes {
            let desired = Self.host(services: size)
            let converged = Self.converged(desired)
            let inventory = Inventory(units: Set(desired.units.map(\.name)), images: Set(converged.images.keys))
            // Fewer rounds for the largest host: its median is stable long before 50.
            let rounds = size > 1_000 ? max(5, iterations / 5) : iterations
            rows.append(
                Measurement.run("in sync, \(size) services", iterations: rounds) {
                    let plan = Planner.plan(desired: desired, observed: converged, inventory: inventory)
                    precondition(plan.isEmpty)
                })
            rows.append(
                Measurement.run("all new, \(size) services", iterations: rounds) {
                    let plan = Planner.plan(desired: desired, observed: ObservedState(), inventory: Inventory())
                    precondition(plan.actions.count > 4 * size)
                })
        }
        printTable("Planner, \(iterations) runs each (fewer above 1,000)", rows, baseline: rows[0].name)
        print("\nper service (linear when flat)")
        for (row, size) in zip(rows, sizes.flatMap { [$0, $0] }) {
            print(
                row.name.padding(toLength: 26, withPad: " ", startingAt: 0),
                String(format: "%7.2f µs", row.medianWall * 1_000 / Double(size)))
        }
        if let thousand = rows.first(where: { $0.name == "all new, 1000 services" }) {
            let verdict = thousand.medianWall < 50 ? "within" : "OVER"
            print(
                "\n1,000 services, all new: \(String(format: "%.2f", thousand.medianWall)) ms, \(verdict) the 50 ms budget"
            )
        }
    }

    /// Services rendered by the real renderer, each tenth one after the one before it, with a
    /// timer for every tenth service, so ordering and plain units are part of the work.
    static func host(services count: Int) -> DesiredHost {
        let renderer = ServiceRenderer(runtime: .podman)
        var units: [DesiredUnit] = []
        var images: [DesiredImage] = []
        for index in 0..<count {
            let name = String(format: "svc%05d", index)
            let reference = "registry.example/\(name):1.0"
            let after = index % 10 == 9 ? [String(format: "svc%05d", index - 1)] : []
            let spec = ServiceSpec(
                name: name, description: "Benchmark service \(index)", image: .reference(reference),
                ports: [PortMapping(hostPort: 10_000 + index % 50_000, containerPort: 8080)],
                environment: ["INDEX": String(index), "MODE": "production"],
                volumes: [VolumeMount(source: "\(name)-data", target: "/data")], after: after,
                location: SourceLocation(file: "desired-state/\(name).yaml", line: 1, column: 1))
            let unit = renderer.render(spec, image: reference)
            units.append(
                DesiredUnit(
                    name: unit.name, contents: unit.contents, enable: true, service: name, image: reference,
                    after: after.map { "\($0).service" }))
            images.append(DesiredImage(reference: reference, origin: .pull, service: name))
            if index % 10 == 0 {
                let timer = UnitSpec(
                    name: "\(name)-cleanup.timer",
                    contents: "[Timer]\nOnCalendar=daily\n\n[Install]\nWantedBy=timers.target\n",
                    location: SourceLocation(file: "desired-state/\(name).yaml", line: 20, column: 1))
                let rendered = UnitFileRenderer.render(timer)
                units.append(DesiredUnit(name: rendered.name, contents: rendered.contents, enable: true))
            }
        }
        return DesiredHost(units: units, images: images, commit: String(repeating: "ab", count: 20))
    }

    /// The host with `desired` applied: the same files loaded, enabled and running.
    static func converged(_ desired: DesiredHost) -> ObservedState {
        var observed = ObservedState()
        for image in desired.images { observed.images[image.reference] = "sha256:" + image.reference }
        for unit in desired.units {
            observed.units[unit.name] = ObservedUnit(
                name: unit.name, loadState: "loaded", activeState: "active", subState: "running",
                unitFileState: "enabled", fragmentPath: "/etc/systemd/system/\(unit.name)",
                fileContents: unit.contents)
            if let service = unit.service, let image = unit.image {
                observed.containers[service] = ObservedContainer(
                    name: service, imageID: "sha256:" + image, running: true)
            }
        }
        return observed
    }
}
