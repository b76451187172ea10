import ReconcilerCore
import Testing

struct SystemdEscapingTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("/usr/bin/podman", "/usr/bin/podman"),
        ("KEY=value", "KEY=value"),
        ("", "\"\""),
        ("two words", "\"two words\""),
        ("50%", "\"50%%\""),
        ("$HOME", "\"$$HOME\""),
        ("${PATH}", "\"$${PATH}\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("it's", "\"it's\""),
        ("back\\slash", "\"back\\\\slash\""),
        (";", "\";\""),
        ("tab\there", "\"tab\\there\""),
    ])
    func execWordsAreQuotedOnlyWhenNeeded(value: String, written: String) {
        #expect(SystemdEscaping.execWord(value) == written)
    }

    @Test func specifierWordsAreWrittenAsIs() {
        let line = SystemdEscaping.execLine([.literal("/usr/bin/podman"), "rm", .specifiers("--cidfile=%t/%N.cid")])
        #expect(line == "/usr/bin/podman rm --cidfile=%t/%N.cid")
    }

    @Test func descriptionsEscapeSpecifiersOnly() {
        #expect(SystemdEscaping.specifierSafe("100% \"real\" $x") == "100%% \"real\" $x")
    }
}

struct OwnershipMarkerTests {
    @Test(
        arguments: [
            ("[Unit]\nX-Reconciler-Source=desired-state/a.yaml\n", "desired-state/a.yaml"),
            (
                "# c\n[Unit]\nDescription=x\n  X-Reconciler-Source=desired-state/b.yaml  \n[Service]\n",
                "desired-state/b.yaml"
            ),
            ("[Service]\nX-Reconciler-Source=desired-state/a.yaml\n", nil),
            ("[Unit]\nDescription=foreign\n", nil),
            ("", nil),
        ] as [(String, String?)])
    func theMarkerIsReadFromTheUnitSectionOnly(contents: String, source: String?) {
        #expect(OwnershipMarker.source(in: contents) == source)
    }
}
