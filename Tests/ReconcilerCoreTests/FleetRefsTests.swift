import Foundation
import ReconcilerCore
import Testing

/// Host reports as refs: what one listing of the remote must show, and when a host pushes.
struct FleetRefsTests {
    static let a = String(repeating: "a", count: 40)
    static let b = String(repeating: "b", count: 40)
    static let c = String(repeating: "c", count: 40)

    static func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: Double(seconds)) }

    static let reports: [HostReport] = [
        HostReport(host: "web1", ring: 0, applied: a, healthy: a, healthySince: date(1000), reported: date(1010)),
        HostReport(
            host: "canary-0", ring: 1, applied: a, healthy: a, healthySince: date(5), quarantined: [b, c], waiting: c,
            reported: date(7)),
        HostReport(host: "db.example", applied: b, reported: date(3)),
    ]

    @Test("a report read back from its refs is the same report", arguments: reports)
    func roundTrip(report: HostReport) {
        let references = FleetRefs.references(of: report).map { (name: $0.key, id: $0.value) }
        #expect(FleetRefs.reports(from: references) == [report])
    }

    @Test("the refs name the host's namespace, with times in their names")
    func refNames() {
        let names = Set(FleetRefs.references(of: Self.reports[1]).keys)
        let base = "refs/reconciler/hosts/canary-0/"
        #expect(
            names
                == Set([
                    base + "applied", base + "healthy/5", base + "quarantined/" + Self.b,
                    base + "quarantined/" + Self.c, base + "ring/1", base + "waiting", base + "reported/7",
                ]))
    }

    @Test("other refs and malformed ones are ignored")
    func ignoresOthers() {
        let listing: [(name: String, id: String)] = [
            ("refs/heads/main", Self.a), ("HEAD", Self.a),
            ("refs/reconciler/hosts/web1/applied", Self.a),
            ("refs/reconciler/hosts/web1/healthy/notanumber", Self.a),
            ("refs/reconciler/hosts/web1/unknown", Self.a),
            ("refs/reconciler/hosts/web1/ring/-1", Self.a),
        ]
        #expect(FleetRefs.reports(from: listing) == [HostReport(host: "web1", applied: Self.a)])
    }

    @Test(
        "host names that cannot name a ref are refused",
        arguments: ["", "a/b", "with space", ".hidden", "-dash", "end.", "x..y", "h.lock", "ümlaut", "a:b"])
    func refusedHostNames(name: String) {
        #expect(FleetRefs.hostNameProblem(name) != nil)
    }

    @Test("ordinary host names are accepted", arguments: ["web1", "e2e-ring1a", "db.example.org", "A_b-9"])
    func acceptedHostNames(name: String) {
        #expect(FleetRefs.hostNameProblem(name) == nil)
    }

    @Test("a host pushes its first report, then nothing while its state stays the same")
    func pushesOnlyChanges() throws {
        let report = HostReport(host: "web1", ring: 0, applied: Self.a, healthy: Self.a, healthySince: Self.date(100))
        let first = try #require(FleetRefs.updates(publishing: report, over: [], now: Self.date(200)))
        #expect(first.allSatisfy { $0.id != nil })
        #expect(first.contains { $0.name == "refs/reconciler/hosts/web1/reported/200" })
        let listing = first.map { (name: $0.name, id: $0.id!) } + [("refs/heads/main", Self.a)]
        #expect(FleetRefs.updates(publishing: report, over: listing, now: Self.date(900)) == nil)

        // Sub-second times in the store compare equal to the whole seconds in the refs.
        var precise = report
        precise.healthySince = Date(timeIntervalSince1970: 100.75)
        #expect(FleetRefs.updates(publishing: precise, over: listing, now: Self.date(900)) == nil)
    }

    @Test("a change moves what changed and deletes the refs that no longer apply, its own only")
    func changeReplacesRefs() throws {
        let before = HostReport(
            host: "web1", ring: 0, applied: Self.a, healthy: Self.a, healthySince: Self.date(100), waiting: Self.c,
            reported: Self.date(150))
        let other = HostReport(host: "web2", applied: Self.a, reported: Self.date(1))
        let listing =
            (FleetRefs.references(of: before).map { (name: $0.key, id: $0.value) })
            + FleetRefs.references(of: other).map { (name: $0.key, id: $0.value) }
        let after = HostReport(
            host: "web1", ring: 0, applied: Self.b, healthy: Self.a, healthySince: Self.date(100),
            quarantined: [Self.b])
        let updates = try #require(FleetRefs.updates(publishing: after, over: listing, now: Self.date(300)))
        let base = "refs/reconciler/hosts/web1/"
        #expect(
            updates == [
                .init(name: base + "applied", id: Self.b),
                .init(name: base + "quarantined/" + Self.b, id: Self.b),
                .init(name: base + "reported/150", id: nil),
                .init(name: base + "reported/300", id: Self.b),
                .init(name: base + "ring/0", id: Self.b),
                .init(name: base + "waiting", id: nil),
            ])
        #expect(updates.allSatisfy { $0.name.hasPrefix(base) })
    }

    @Test("a host that has no commit yet publishes nothing")
    func nothingToPublish() {
        #expect(FleetRefs.updates(publishing: HostReport(host: "new", ring: 1), over: [], now: Self.date(1)) == nil)
    }
}
