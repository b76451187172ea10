import Foundation
import ReconcilerCore
import Testing

@testable import ReconcilerCLI

/// `reconciler fleet` for people: a row per host, what each waits for, where the head stopped.
struct FleetTextTests {
    static let good = String(repeating: "a", count: 40)
    static let bad = String(repeating: "b", count: 40)
    static let time = Date(timeIntervalSince1970: 1_796_615_000)

    static func host(
        _ name: String, ring: Int, waiting: String? = nil, stoppedBy: String? = nil, quarantined: [String] = []
    ) -> FleetView.Host {
        FleetView.Host(
            host: name, ring: ring, applied: good, healthy: good, healthySince: time, quarantined: quarantined,
            waiting: waiting, stoppedBy: stoppedBy, behind: 1, reported: time)
    }

    @Test("a failing commit shows where it stopped and who waits for it")
    func stoppedCommit() {
        let view = FleetView(
            tracked: "branch main", head: Self.bad,
            hosts: [
                Self.host("canary", ring: 0, quarantined: [Self.bad]),
                Self.host("web1", ring: 1, waiting: Self.bad, stoppedBy: "canary"),
            ])
        let lines = FleetText.render(view).split(separator: "\n").map(String.init)
        #expect(lines.first == "tracked: branch main at bbbbbbbbbbbb")
        #expect(lines[1].hasPrefix("HOST"))
        #expect(lines[2].hasPrefix("canary"))
        #expect(lines[2].hasSuffix("bbbbbbbbbbbb"))
        #expect(lines[3].contains("bbbbbbbbbbbb (quarantined on canary)"))
        #expect(lines.last == "bbbbbbbbbbbb stopped: quarantined on canary; higher rings stay where they are")
    }

    @Test("a host waiting for its gate names the ring it waits for")
    func waitingForGate() {
        let view = FleetView(
            tracked: "branch main", head: Self.bad, hosts: [Self.host("web2", ring: 2, waiting: Self.bad)])
        #expect(FleetText.render(view).contains("bbbbbbbbbbbb (ring 1 gate)"))
    }

    @Test("with no reports it says how hosts start reporting")
    func noReports() {
        let text = FleetText.render(FleetView(tracked: "branch main", head: nil, hosts: []))
        #expect(text.contains("no host reports here yet"))
    }
}
