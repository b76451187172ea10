import Testing

@testable import ReconcilerCore

/// The small languages inside string fields: durations, ports, addresses, volumes, users, names.
struct ValueSyntaxTests {
    @Test(arguments: [
        ("90s", Duration.seconds(90)),
        ("5m", .seconds(300)),
        ("1h30m", .seconds(5400)),
        ("500ms", .milliseconds(500)),
        ("2m30s", .seconds(150)),
        ("1h1m1s1ms", .milliseconds(3_661_001)),
        ("24h", .seconds(86400)),
        ("0h1s", .seconds(1)),
    ])
    func parsesGoStyleDurations(text: String, expected: Duration) throws {
        #expect(try DurationSyntax.parse(text).get() == expected)
    }

    @Test(arguments: ["60", "1.5h", "-5s", "5 s", "5S", "5d", "s", "", "1h30", "24h1ms", "0s", "99999999999h"])
    func refusesOtherDurations(text: String) {
        #expect(throws: ValueProblem.self) { try DurationSyntax.parse(text).get() }
    }

    @Test(arguments: ["0.0.0.0", "127.0.0.1", "255.255.255.255", "10.1.2.3"])
    func acceptsIPv4(text: String) {
        #expect(IPAddressSyntax.isIPv4(text))
    }

    @Test(arguments: ["256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "a.b.c.d", "", "1..2.3"])
    func refusesBadIPv4(text: String) {
        #expect(!IPAddressSyntax.isIPv4(text))
    }

    @Test(arguments: ["::", "::1", "fe80::1", "2001:db8::8:800:200c:417a", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1"])
    func acceptsIPv6(text: String) {
        #expect(IPAddressSyntax.isIPv6(text))
    }

    @Test(arguments: ["1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "fe80::1%eth0", "1:2:3:4:5:6:7", ":1"])
    func refusesBadIPv6(text: String) {
        #expect(!IPAddressSyntax.isIPv6(text))
    }

    @Test(arguments: [
        ("8080:80", PortMapping(hostPort: 8080, containerPort: 80)),
        ("53:53/udp", PortMapping(hostPort: 53, containerPort: 53, transport: .udp)),
        ("127.0.0.1:80:8080/tcp", PortMapping(hostIP: "127.0.0.1", hostPort: 80, containerPort: 8080)),
        ("[::1]:80:80", PortMapping(hostIP: "::1", hostPort: 80, containerPort: 80)),
        ("1:65535", PortMapping(hostPort: 1, containerPort: 65535)),
    ])
    func parsesPorts(text: String, expected: PortMapping) throws {
        #expect(try PortSyntax.parse(text).get() == expected)
    }

    @Test(arguments: ["80", "a:b", "80:80/sctp", "[::1:80:80", "::1:80:80", "1.2.3.4:5:6:7", "65536:1", ":80", "80:"])
    func refusesBadPorts(text: String) {
        #expect(throws: ValueProblem.self) { try PortSyntax.parse(text).get() }
    }

    @Test(arguments: [
        ("data:/data", VolumeMount(source: "data", target: "/data")),
        ("/srv/blog:/data:ro", VolumeMount(source: "/srv/blog", target: "/data", readOnly: true)),
        ("v1.2_x-y:/a:rw", VolumeMount(source: "v1.2_x-y", target: "/a")),
    ])
    func parsesVolumes(text: String, expected: VolumeMount) throws {
        #expect(try VolumeSyntax.parse(text).get() == expected)
    }

    @Test(arguments: ["data", "data:/a:ro:x", "_data:/a", "data:/a/../etc", "/srv/../etc:/a", ":/a", "d:"])
    func refusesBadVolumes(text: String) {
        #expect(throws: ValueProblem.self) { try VolumeSyntax.parse(text).get() }
    }

    @Test(arguments: ["1000", "1000:1000", "www-data", "app:staff", "_svc"])
    func acceptsUsers(text: String) {
        #expect(UserSyntax.problem(text) == nil)
    }

    @Test(arguments: ["", "a b", "1:2:3", ":100", "100:", "-x", "ü"])
    func refusesBadUsers(text: String) {
        #expect(UserSyntax.problem(text) != nil)
    }

    @Test(arguments: ["blog", "blog-backup", "a_b.c:d", "2048", "x\\x2d"])
    func acceptsServiceNames(name: String) {
        #expect(UnitNameRules.serviceNameProblem(name) == nil)
    }

    @Test(arguments: ["", ".hidden", "a..b", "systemd-x", "reconciler", "a b", "a@b", "x/y"])
    func refusesServiceNames(name: String) {
        #expect(UnitNameRules.serviceNameProblem(name) != nil)
    }

    @Test(arguments: ["backup.timer", "data.mount", "web.socket", "app.slice", "nightly.target", "x.path"])
    func acceptsUnitNames(name: String) {
        #expect(UnitNameRules.unitNameProblem(name) == nil)
    }

    @Test(arguments: [".timer", "backup", "backup.scope", "multi-user.target", "reconciler.timer", "a@.service"])
    func refusesUnitNames(name: String) {
        #expect(UnitNameRules.unitNameProblem(name) != nil)
    }

    @Test(arguments: [
        ("imgae", "image"), ("prots", "ports"), ("Ports", "ports"), ("envfiles", "envFiles"), ("helth", "health"),
        ("replica", "replicas"),
    ])
    func suggestsTheClosestKey(word: String, expected: String) {
        #expect(KeySuggestion.closest(to: word, among: NodeDecoder.serviceKeys) == expected)
    }

    @Test func suggestsNothingWhenEveryKeyIsFar() {
        #expect(KeySuggestion.closest(to: "zzzzzz", among: NodeDecoder.serviceKeys) == nil)
    }

    @Test(arguments: [("", "abc", 3), ("abc", "abc", 0), ("ab", "ba", 1), ("kitten", "sitting", 3)])
    func editDistanceCountsSwapsAsOne(a: String, b: String, distance: Int) {
        #expect(KeySuggestion.editDistance(a, b) == distance)
    }

    @Test func hostSelectorsExcludeEachOtherOnlyByNamesOrConflictingLabels() {
        let web1 = HostSelector(names: ["web1"])
        let web2 = HostSelector(names: ["web2"])
        #expect(!CrossDocumentChecks.mayShareHost(web1, web2))
        #expect(CrossDocumentChecks.mayShareHost(web1, HostSelector(names: ["web1", "web2"])))
        #expect(CrossDocumentChecks.mayShareHost(web1, nil))
        #expect(CrossDocumentChecks.mayShareHost(web1, HostSelector(labels: ["role": "web"])))
        #expect(
            !CrossDocumentChecks.mayShareHost(
                HostSelector(labels: ["role": "web"]), HostSelector(labels: ["role": "db"])))
        #expect(
            CrossDocumentChecks.mayShareHost(HostSelector(labels: ["role": "web"]), HostSelector(labels: ["zone": "a"]))
        )
    }
}
