import ReconcilerCore
import Testing

@testable import ReconcilerSystemd

/// Attribution and classification of systemd-analyze's lines, on output recorded from systemd 252.
struct UnitVerifierOutputTests {
    @Test func linesAboutTheHostsOwnUnitsAreLeftOut() {
        let output = """
            /lib/systemd/system/foo.service:3: Unknown key 'Bar' in section [Service], ignoring.
            Accepting user/group name 'ro ot', which does not match strict user/group name rules.
            foo.service: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.
            /tmp/v/units/blog.service:2: Unknown key 'Bar' in section [Unit], ignoring.
            """

        let problems = UnitVerifierOutput.problems(in: output, units: ["blog.service"], directory: "/tmp/v/units")

        #expect(
            problems.map(\.description) == ["blog.service:2: error: Unknown key 'Bar' in section [Unit], ignoring."])
    }

    @Test func aSummaryLineIsKeptOnlyWithoutAPreciseOne() {
        let output = """
            Unit a.service has a bad unit file setting.
            b.service: Unit configuration has fatal error, unit will not be started.
            Unit b.service has a bad unit file setting.
            """

        let problems = UnitVerifierOutput.problems(in: output, units: ["a.service", "b.service"], directory: "/d")

        #expect(
            problems.map(\.description) == [
                "a.service: error: Unit a.service has a bad unit file setting.",
                "b.service: error: Unit configuration has fatal error, unit will not be started.",
            ])
    }

    @Test func aUnitNameThatPrefixesAnotherIsNotConfused() {
        let output = """
            /d/blog.service.bak:1: Unknown section 'X'. Ignoring.
            blog.service.bak: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.
            """

        #expect(UnitVerifierOutput.problems(in: output, units: ["blog.service"], directory: "/d") == [])
    }

    @Test func problemsAreGroupedByUnitInTheOrderGiven() {
        let output = """
            /d/b.service:1: Unknown key 'X' in section [Service], ignoring.
            /d/a.service:1: Unknown key 'Y' in section [Service], ignoring.
            b.service: Failed to create b.service/start: Unit a.service has a bad unit file setting.
            """

        let problems = UnitVerifierOutput.problems(in: output, units: ["a.service", "b.service"], directory: "/d")

        #expect(problems.map(\.unit) == ["a.service", "b.service", "b.service"])
        #expect(problems.map(\.severity) == [.error, .error, .warning])
    }
}
