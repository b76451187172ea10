import Foundation
import Logging
import ReconcilerCore
import ReconcilerGit
import Testing

/// `fleet.reports`: reports in a second repository, over a real git daemon serving both, whose
/// verbose log counts every connection to each repository.
struct GitFleetReportsRepositoryTests {
    let logger = Logger(label: "reconciler.test")

    /// The desired-state fixture, a bare `reports.git` beside it and a daemon that takes pushes.
    struct Servers {
        let fixture: SourceFixture
        let daemon: GitDaemonServer
        var reportsBare: String { fixture.serverBase + "/reports.git" }
        var reportsURL: String { daemon.url(for: "reports.git") }

        init() throws {
            fixture = try SourceFixture()
            try fixture.upstream.git("init", "-q", "--bare", "-b", "main", fixture.serverBase + "/reports.git")
            daemon = try GitDaemonServer(baseDirectory: fixture.serverBase, receivePack: true)
        }

        /// Requests the daemon served for `repository` so far (lists, fetches and pushes).
        func requests(for repository: String) -> Int {
            daemon.log.split(separator: "\n").filter { $0.contains("Request") && $0.contains("/\(repository)'") }.count
        }

        /// The fleet refs of a served bare repository, as git itself lists them.
        func fleetRefs(_ bare: String) throws -> [String: String] {
            let text = try fixture.upstream.git(
                "--git-dir", bare, "for-each-ref", "--format=%(refname) %(objectname)", "refs/reconciler")
            var refs: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                refs[String(parts[0])] = String(parts[1])
            }
            return refs
        }
    }

    func fleet(_ host: String, _ source: GitSource, _ servers: Servers, ring: Int = 0) -> GitFleet {
        GitFleet(
            hostName: host,
            configuration: FleetConfiguration(
                ring: ring, promote: RingPromotion(after: 1, soak: 60),
                reports: FleetReportsRepository(url: servers.reportsURL)),
            stateDirectory: servers.fixture.stateDirectory, source: { source }, logger: logger)
    }

    @Test("reports land only in the reports repository, and an unchanged report contacts it no more")
    func reportsGoToTheirOwnRepository() throws {
        let servers = try Servers()
        defer { servers.daemon.stop() }
        let source = servers.fixture.source(url: servers.daemon.url(for: "repo.git"))
        let first = try source.update(lastAccepted: nil).commit.id
        let canary = fleet("canary", source, servers)
        let report = HostReport(host: "canary", ring: 0, applied: first, healthy: first, healthySince: Date())

        canary.publish(report, now: Date(timeIntervalSince1970: 1_700_000_100))

        let base = "refs/reconciler/hosts/canary/"
        let refs = try servers.fleetRefs(servers.reportsBare)
        #expect(refs[base + "applied"] == first)
        #expect(refs[base + "reported/1700000100"] == first)
        #expect(try servers.fleetRefs(servers.fixture.bare).isEmpty, "the desired-state repository gets no reports")
        // One listing before the first push, and the push.
        #expect(servers.requests(for: "reports.git") == 2, "\(servers.daemon.log)")

        // Idle polls: the desired state is listed, the same report is not pushed again, and
        // the reports repository is not contacted at all.
        for second in 1...3 {
            _ = try source.remoteHead()
            canary.publish(report, now: Date(timeIntervalSince1970: 1_700_000_100 + Double(second)))
        }
        #expect(servers.requests(for: "reports.git") == 2, "\(servers.daemon.log)")
        #expect(servers.requests(for: "repo.git") >= 4)
        let listed = source.lastListing ?? []
        #expect(!listed.contains { $0.name.hasPrefix(FleetRefs.namespace) })

        // A change is pushed without listing first: the host remembers what it pushed.
        var quarantined = report
        quarantined.quarantined = [first]
        canary.publish(quarantined, now: Date(timeIntervalSince1970: 1_700_000_900))
        #expect(servers.requests(for: "reports.git") == 3)
        #expect(try servers.fleetRefs(servers.reportsBare)[base + "quarantined/" + first] == first)
    }

    @Test("a later process (once from a timer) compares with the refs it pushed, not with a listing")
    func laterProcessRemembers() throws {
        let servers = try Servers()
        defer { servers.daemon.stop() }
        let source = servers.fixture.source(url: servers.daemon.url(for: "repo.git"))
        let first = try source.update(lastAccepted: nil).commit.id
        let report = HostReport(host: "canary", ring: 0, applied: first, healthy: first, healthySince: Date())
        fleet("canary", source, servers).publish(report, now: Date())
        let afterFirstProcess = servers.requests(for: "reports.git")

        fleet("canary", source, servers).publish(report, now: Date())
        #expect(servers.requests(for: "reports.git") == afterFirstProcess, "\(servers.daemon.log)")

        // Pointed at another reports repository, the host lists and pushes there.
        try servers.fixture.upstream.git("init", "-q", "--bare", servers.fixture.serverBase + "/other.git")
        let other = GitFleet(
            hostName: "canary",
            configuration: FleetConfiguration(
                reports: FleetReportsRepository(url: servers.daemon.url(for: "other.git"))),
            stateDirectory: servers.fixture.stateDirectory, source: { source }, logger: logger)
        other.publish(report, now: Date())
        #expect(servers.requests(for: "other.git") == 2)
        #expect(
            try servers.fleetRefs(servers.fixture.serverBase + "/other.git")["refs/reconciler/hosts/canary/applied"]
                == first)
    }

    @Test("the ring gate lists the reports repository, only when it has a commit to decide on")
    func gateReadsTheReportsRepository() throws {
        let servers = try Servers()
        defer { servers.daemon.stop() }
        let source = servers.fixture.source(url: servers.daemon.url(for: "repo.git"))
        let first = try source.update(lastAccepted: nil).commit.id
        let second = try servers.fixture.commitAndPublish("version: 2\n")
        _ = try source.update(lastAccepted: first)
        let long = Date(timeIntervalSince1970: 1_000)
        let now = long.addingTimeInterval(120)
        let gate = fleet("web1", source, servers, ring: 1)

        let before = servers.requests(for: "reports.git")
        let closed = gate.wait(for: second, now: now)
        #expect(closed?.ring == 0 && closed?.ready == [], "no ring-0 report yet")
        #expect(servers.requests(for: "reports.git") == before + 1)

        fleet("canary", source, servers).publish(
            HostReport(host: "canary", ring: 0, applied: second, healthy: second, healthySince: long), now: long)
        #expect(gate.wait(for: second, now: now) == nil, "canary healthy on it past the soak")
        #expect(gate.wait(for: first, now: now) == nil, "second descends from first")
    }

    @Test("an unreachable reports repository keeps the gate closed and the push failure is recorded")
    func unreachableReportsRepository() throws {
        let servers = try Servers()
        defer { servers.daemon.stop() }
        let source = servers.fixture.source(url: servers.daemon.url(for: "repo.git"))
        let first = try source.update(lastAccepted: nil).commit.id
        let missing = FleetConfiguration(
            ring: 1, reports: FleetReportsRepository(url: servers.daemon.url(for: "nowhere.git")))
        let fleet = GitFleet(
            hostName: "web1", configuration: missing, stateDirectory: servers.fixture.stateDirectory,
            source: { source }, logger: logger)

        let wait = fleet.wait(for: first, now: Date())
        #expect(wait?.ready == [] && wait?.needed == 1)
        fleet.publish(HostReport(host: "web1", ring: 1, applied: first), now: Date())
        let status = FleetStatus.read(stateDirectory: servers.fixture.stateDirectory)
        #expect(status?.publishError?.contains("nowhere.git") == true, "\(status?.publishError ?? "")")
    }
}
