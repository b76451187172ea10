import Foundation
import Logging
import ReconcilerCore
import ReconcilerGit
import Testing

/// Host reports pushed to real repositories (a path and git daemon with receive-pack), read
/// back from one listing, refused pushes that never throw, and the ring gate on real history.
struct GitFleetTests {
    let logger = Logger(label: "reconciler.test")

    /// The fleet refs of the fixture's bare repository, as git itself lists them.
    func servedRefs(_ fixture: SourceFixture) throws -> [String: String] {
        let text = try fixture.upstream.git(
            "--git-dir", fixture.bare, "for-each-ref", "--format=%(refname) %(objectname)", "refs/reconciler")
        var refs: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            refs[String(parts[0])] = String(parts[1])
        }
        return refs
    }

    func fleet(_ host: String, _ source: GitSource, _ fixture: SourceFixture, ring: Int = 0, soak: Double = 60)
        -> GitFleet
    {
        GitFleet(
            hostName: host,
            configuration: FleetConfiguration(ring: ring, promote: RingPromotion(after: 1, soak: soak)),
            stateDirectory: fixture.stateDirectory, source: { source }, logger: logger)
    }

    @Test("a report is pushed once, read back from a listing, and replaced on a change", arguments: ["path", "git"])
    func publishes(transport: String) throws {
        let fixture = try SourceFixture()
        let daemon =
            transport == "git" ? try GitDaemonServer(baseDirectory: fixture.serverBase, receivePack: true) : nil
        defer { daemon?.stop() }
        let source = fixture.source(url: daemon?.url(for: "repo.git"))
        let first = try source.update(lastAccepted: nil).commit.id
        let fleet = fleet("web1", source, fixture)
        let healthySince = Date(timeIntervalSince1970: 1_700_000_000)
        let report = HostReport(host: "web1", ring: 0, applied: first, healthy: first, healthySince: healthySince)

        fleet.publish(report, now: Date(timeIntervalSince1970: 1_700_000_100))

        let base = "refs/reconciler/hosts/web1/"
        #expect(
            try servedRefs(fixture) == [
                base + "applied": first, base + "healthy/1700000000": first, base + "ring/0": first,
                base + "reported/1700000100": first,
            ])
        _ = try source.remoteHead()
        let listed = FleetRefs.reports(from: (source.lastListing ?? []).map { ($0.name, $0.id) })
        #expect(listed.map(\.host) == ["web1"])
        #expect(listed.first?.healthySince == healthySince)

        // The same state later: nothing is pushed (the report time stays).
        fleet.publish(report, now: Date(timeIntervalSince1970: 1_700_000_500))
        #expect(try servedRefs(fixture)[base + "reported/1700000100"] == first)

        // A new commit fails and is quarantined: the refs follow, the stale ones go.
        let second = try fixture.commitAndPublish("version: 2\n")
        _ = try source.update(lastAccepted: first)
        var failed = report
        failed.quarantined = [second]
        fleet.publish(failed, now: Date(timeIntervalSince1970: 1_700_000_900))
        let refs = try servedRefs(fixture)
        #expect(refs[base + "quarantined/" + second] == second)
        #expect(refs[base + "reported/1700000900"] == first)
        #expect(refs[base + "reported/1700000100"] == nil)
        #expect(refs.keys.allSatisfy { $0.hasPrefix(base) })
        // The mirror keeps no trace of the refs it pushed from.
        let mirrorRefs = try fixture.upstream.git("--git-dir", fixture.mirrorPath, "for-each-ref", "refs/reconciler")
        #expect(mirrorRefs.isEmpty)
    }

    @Test("a push the server's hook refuses is reported, never thrown, and leaves the remote as it was")
    func refusedPush() throws {
        // Over git://: libgit2 writes a local repository directly, without running its hooks.
        let fixture = try SourceFixture()
        let daemon = try GitDaemonServer(baseDirectory: fixture.serverBase, receivePack: true)
        defer { daemon.stop() }
        let hook = fixture.bare + "/hooks/pre-receive"
        try "#!/bin/sh\necho 'reports are not welcome here' >&2\nexit 1\n".write(
            toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        let source = fixture.source(url: daemon.url(for: "repo.git"))
        let first = try source.update(lastAccepted: nil).commit.id
        let update = FleetRefs.Update(name: "refs/reconciler/hosts/web1/applied", id: first)

        let error = #expect(throws: SourceError.self) { try source.push([update]) }
        #expect(
            error?.message.contains("refused refs/reconciler/hosts/web1/applied") == true, "\(error?.message ?? "")")

        fleet("web1", source, fixture).publish(HostReport(host: "web1", applied: first), now: Date())
        #expect(try servedRefs(fixture).isEmpty)
        let status = FleetStatus.read(stateDirectory: fixture.stateDirectory)
        #expect(status?.publishError?.contains("refused") == true)
    }

    @Test("a git daemon that does not accept pushes fails the push with its reason")
    func daemonWithoutReceivePack() throws {
        let fixture = try SourceFixture()
        let daemon = try GitDaemonServer(baseDirectory: fixture.serverBase)
        defer { daemon.stop() }
        let source = fixture.source(url: daemon.url(for: "repo.git"))
        let first = try source.update(lastAccepted: nil).commit.id

        let error = #expect(throws: SourceError.self) {
            try source.push([FleetRefs.Update(name: "refs/reconciler/hosts/web1/applied", id: first)])
        }
        #expect(error?.message.contains("push this host's report") == true, "\(error?.message ?? "")")
        #expect(try servedRefs(fixture).isEmpty)
    }

    @Test("a push outside the fleet namespace is refused by the helper itself")
    func onlyOwnNamespace() throws {
        let fixture = try SourceFixture()
        let source = fixture.source()
        let first = try source.update(lastAccepted: nil).commit.id
        let error = #expect(throws: SourceError.self) {
            try source.push([FleetRefs.Update(name: "refs/heads/main", id: first)])
        }
        #expect(error?.message.contains("outside refs/reconciler/hosts/") == true)
    }

    @Test("the ring gate reads the real listing, and a ring-0 host healthy on a descendant opens it")
    func gateOnRealHistory() throws {
        let fixture = try SourceFixture()
        let canarySource = fixture.source()
        let first = try canarySource.update(lastAccepted: nil).commit.id
        let second = try fixture.commitAndPublish("version: 2\n")
        let third = try fixture.commitAndPublish("version: 3\n")
        _ = try canarySource.update(lastAccepted: first)
        let long = Date(timeIntervalSince1970: 1_000)
        fleet("canary", canarySource, fixture).publish(
            HostReport(host: "canary", ring: 0, applied: third, healthy: third, healthySince: long), now: long)

        let ring1Fixture = fixture
        let ring1 = ring1Fixture.source()
        _ = try ring1.update(lastAccepted: nil)
        let gate = fleet("web1", ring1, ring1Fixture, ring: 1, soak: 60)
        let now = long.addingTimeInterval(120)

        #expect(gate.wait(for: second, now: now) == nil, "third descends from second")
        #expect(gate.wait(for: third, now: now) == nil)
        let soaking = gate.wait(for: third, now: long.addingTimeInterval(30))
        #expect(soaking?.soaking == ["canary"])
        #expect(FleetStatus.read(stateDirectory: fixture.stateDirectory)?.waiting?.commit == third)
    }
}
