import Foundation
import ReconcilerCore
import Testing

/// The ring gate: ring N+1 takes a commit only after K hosts of ring N report it (or a
/// descendant) healthy for the soak time, and never one a lower ring quarantined.
struct RingGateTests {
    static let old = "1111111111111111111111111111111111111111"
    static let new = "2222222222222222222222222222222222222222"
    static let newer = "3333333333333333333333333333333333333333"
    static let now = Date(timeIntervalSince1970: 10_000)

    /// `newer` descends from `new`, which descends from `old`.
    static func contains(_ descendant: String, _ ancestor: String) -> Bool? {
        let order = [old, new, newer]
        guard let d = order.firstIndex(of: descendant), let a = order.firstIndex(of: ancestor) else { return nil }
        return d >= a
    }

    static func healthy(_ host: String, ring: Int?, on commit: String, secondsAgo: Double) -> HostReport {
        HostReport(
            host: host, ring: ring, applied: commit, healthy: commit,
            healthySince: now.addingTimeInterval(-secondsAgo))
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var ring: Int
        var after: Int
        var reports: [HostReport]
        /// nil: the gate opens; otherwise the hosts counted ready, and who quarantined it.
        var waits: Bool
        var ready: [String] = []
        var soaking: [String] = []
        var quarantinedBy: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ring 0 never waits", ring: 0, after: 5, reports: [], waits: false),
        Case(
            name: "ring 1 waits while no ring-0 host reports", ring: 1, after: 1, reports: [], waits: true),
        Case(
            name: "one ring-0 host healthy past the soak opens the gate", ring: 1, after: 1,
            reports: [healthy("c0", ring: 0, on: new, secondsAgo: 61)], waits: false),
        Case(
            name: "a host without a ring counts as ring 0", ring: 1, after: 1,
            reports: [healthy("c0", ring: nil, on: new, secondsAgo: 61)], waits: false),
        Case(
            name: "still soaking does not count yet", ring: 1, after: 1,
            reports: [healthy("c0", ring: 0, on: new, secondsAgo: 30)], waits: true, soaking: ["c0"]),
        Case(
            name: "a descendant healthy counts for the commit", ring: 1, after: 1,
            reports: [healthy("c0", ring: 0, on: newer, secondsAgo: 61)], waits: false),
        Case(
            name: "an older healthy commit does not count", ring: 1, after: 1,
            reports: [healthy("c0", ring: 0, on: old, secondsAgo: 6000)], waits: true),
        Case(
            name: "K hosts are needed", ring: 1, after: 2,
            reports: [
                healthy("c0", ring: 0, on: new, secondsAgo: 100), healthy("c1", ring: 0, on: old, secondsAgo: 100),
            ], waits: true, ready: ["c0"]),
        Case(
            name: "only the ring right below counts", ring: 2, after: 1,
            reports: [healthy("c0", ring: 0, on: new, secondsAgo: 100)], waits: true),
        Case(
            name: "hosts of the same ring do not count", ring: 1, after: 1,
            reports: [healthy("peer", ring: 1, on: new, secondsAgo: 100)], waits: true),
        Case(
            name: "a commit quarantined below never passes, however many are healthy", ring: 1, after: 1,
            reports: [
                healthy("c0", ring: 0, on: new, secondsAgo: 100),
                HostReport(host: "c1", ring: 0, applied: old, quarantined: [new]),
            ], waits: true, quarantinedBy: "c1"),
        Case(
            name: "a quarantine two rings below stops it too", ring: 2, after: 1,
            reports: [
                healthy("r1", ring: 1, on: new, secondsAgo: 100),
                HostReport(host: "r0", ring: 0, applied: old, quarantined: [new]),
            ], waits: true, quarantinedBy: "r0"),
    ]

    @Test("the gate", arguments: cases)
    func gate(_ example: Case) {
        let wait = RingGate.wait(
            for: Self.new, ring: example.ring, promotion: RingPromotion(after: example.after, soak: 60),
            reports: example.reports, now: Self.now, contains: Self.contains)
        #expect((wait != nil) == example.waits)
        if let wait, example.quarantinedBy == nil {
            #expect(wait.ready == example.ready)
            #expect(wait.soaking == example.soaking)
            #expect(wait.needed == example.after)
            #expect(wait.ring == example.ring - 1)
        }
        #expect(wait?.quarantinedBy == example.quarantinedBy)
    }

    @Test("the wait says what it waits for")
    func description() {
        let soaking = RingWait(
            commit: Self.new, ring: 0, needed: 2, ready: ["a"], soaking: ["b"], soakEnds: Self.now)
        #expect(soaking.description == "222222222222 waits for 2 healthy hosts of ring 0 (1 ready, 1 soaking: b)")
        let stopped = RingWait(commit: Self.new, ring: 0, needed: 1, quarantinedBy: "canary")
        #expect(stopped.description.contains("quarantined on canary (ring 0)"))
    }
}

/// The `fleet:` section of config.yaml.
struct FleetConfigurationTests {
    func decode(_ text: String) throws(HostConfigurationDecoder.Failure) -> HostConfiguration {
        try HostConfigurationDecoder.decode(text, file: "config.yaml", base: HostConfiguration(hostName: "web1"))
    }

    @Test("no fleet section: no reports, no ring")
    func absent() throws {
        #expect(try decode("pollInterval: 5s\n").fleet == nil)
    }

    @Test("an empty fleet section publishes, in ring 0")
    func empty() throws {
        #expect(try decode("fleet: {}\n").fleet == FleetConfiguration())
    }

    @Test("every fleet setting is read")
    func everySetting() throws {
        let fleet = try decode("fleet: {publish: false, ring: 2, promote: {after: 3, soak: 5s}}\n").fleet
        #expect(fleet == FleetConfiguration(publish: false, ring: 2, promote: RingPromotion(after: 3, soak: 5)))
    }

    @Test(
        "a reports repository is read, with the repository's credentials unless it has its own",
        arguments: [
            ("fleet: {reports: {url: 'git://git.example/reports.git'}}\n", nil),
            (
                "fleet:\n  reports:\n    url: https://git.example/reports.git\n    credentials: {username: bot, passwordFile: /etc/r/pw}\n",
                GitCredentials(username: "bot", passwordFile: "/etc/r/pw")
            ),
        ] as [(String, GitCredentials?)])
    func reportsRepository(text: String, credentials: GitCredentials?) throws {
        let reports = try decode(text).fleet?.reports
        #expect(reports?.url.hasSuffix("git.example/reports.git") == true)
        #expect(reports?.credentials == credentials)
    }

    @Test(
        "bad fleet settings name the field and what was expected",
        arguments: [
            ("fleet: {reports: {}}\n", "fleet.reports.url: expected the URL of the repository the reports go to"),
            ("fleet: {reports: {url: ''}}\n", "fleet.reports.url: expected a repository path or URL without spaces"),
            ("fleet: {reports: {url: /srv/r.git, branch: main}}\n", "branch"),
            (
                "fleet: {reports: {url: /srv/r.git, credentials: {passwordFile: pw}}}\n",
                "fleet.reports.credentials.passwordFile"
            ),
            ("fleet: {reports: git://x/r.git}\n", "fleet.reports"),
            ("fleet: {ring: -1}\n", "fleet.ring: expected a whole number from 0 to 99, found '-1'"),
            ("fleet: {promote: {after: 0}}\n", "fleet.promote.after: expected a whole number from 1 to 10000"),
            ("fleet: {promote: {soak: soon}}\n", "fleet.promote.soak"),
            ("fleet: {rings: 1}\n", "rings"),
            ("fleet: {publish: yes}\n", "fleet.publish"),
        ])
    func badSettings(text: String, expected: String) {
        let failure = #expect(throws: HostConfigurationDecoder.Failure.self) { try decode(text) }
        #expect(failure?.description.contains(expected) == true, "\(failure?.description ?? "")")
        #expect(failure?.description.contains("config.yaml:1:") == true)
    }
}
