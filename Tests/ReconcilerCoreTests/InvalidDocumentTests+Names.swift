import ReconcilerTesting
import Testing

extension InvalidDocumentTests {
    static func named(_ name: String) -> String {
        "apiVersion: reconciler/v1\nkind: Service\nname: \(name)\nimage: {ref: x}\n"
    }

    static let names: [Case] = [
        Case(
            name: "a service name that climbs directories", yaml: named("../etc/passwd"),
            at: "3:7", path: "name", message: "service name '../etc/passwd' looks like a path"),
        Case(
            name: "a service name with a slash", yaml: named("a/b"),
            at: "3:7", path: "name", message: "names must not contain '/' or '..'"),
        Case(
            name: "a template service name", yaml: named("web@1"),
            at: "3:7", path: "name", message: "contains '@'; template units are not supported in schema v1"),
        Case(
            name: "a service name starting with a dash", yaml: named("-web"),
            at: "3:7", path: "name", message: "service name '-web' must not start with '.' or '-'"),
        Case(
            name: "the reconciler's own name is reserved", yaml: named("reconciler"),
            at: "3:7", path: "name", message: "'reconciler.service' is reserved: the reconciler's own unit"),
        Case(
            name: "a service name with the unit suffix", yaml: named("web.service"),
            at: "3:7", path: "name", message: "service name 'web.service' must be the stem only; write 'web'"),
        Case(
            name: "a service name that is too long", yaml: named(String(repeating: "a", count: 201)),
            at: "3:7", path: "name", message: "service name is 201 characters long; at most 200 are allowed"),
        Case(
            name: "a service name with a space", yaml: named("\"my app\""),
            at: "3:7", path: "name", message: "service name 'my app' contains ' '; allowed are ASCII letters, digits"),
        Case(
            name: "a service named after a systemd unit", yaml: named("dbus"),
            at: "3:7", path: "name", message: "'dbus.service' is reserved: systemd itself relies on this unit"),
    ]

    static let units: [Case] = [
        Case(
            name: "a unit name without a type suffix",
            yaml: "apiVersion: reconciler/v1\nkind: Unit\nname: backup\ncontents: \"[Unit]\"\n",
            at: "3:7", path: "name", message: "unit name 'backup' needs a type suffix: one of .service .socket"),
        Case(
            name: "a unit named like systemd's own",
            yaml: "apiVersion: reconciler/v1\nkind: Unit\nname: systemd-journald.service\ncontents: \"[Unit]\"\n",
            at: "3:7", path: "name", message: "'systemd-journald.service' is reserved"),
        Case(
            name: "a unit with both source and contents",
            yaml: Case.unit("source: desired-state/files/backup.timer", "contents: \"[Timer]\""),
            at: "1:1", path: "", message: "set exactly one of source or contents, not both"),
        Case(
            name: "a unit with neither source nor contents",
            yaml: Case.unit("enable: true"),
            at: "1:1", path: "", message: "required key 'source' or 'contents' is missing"),
        Case(
            name: "a unit source that does not exist",
            yaml: Case.unit("source: desired-state/files/nope.timer"),
            at: "4:9", path: "source", message: "'desired-state/files/nope.timer' does not exist in the repository"),
        Case(
            name: "a unit source through a symlink loop",
            yaml: Case.unit("source: loop/backup.timer"),
            at: "4:9", path: "source", message: "goes through more than 40 symlinks",
            extra: ["loop": .symlink("loop")]),
        Case(
            name: "a unit source inside a submodule",
            yaml: Case.unit("source: vendor/units/x.timer"),
            at: "4:9", path: "source", message: "goes into the submodule 'vendor'",
            extra: ["vendor": .submodule]),
        Case(
            name: "null unit contents",
            yaml: Case.unit("contents: ~"),
            at: "4:11", path: "contents", message: "expected the unit file's text as a string, found no value (null)"),
        Case(
            name: "unit contents with a NUL",
            yaml: Case.unit("contents: \"[Timer]\\0\""),
            at: "4:11", path: "contents", message: "the unit file contains a control character (U+0000)"),
    ]

    static let crossDocument: [Case] = [
        Case(
            name: "after names a service that does not exist",
            yaml: Case.service("after: [db]"),
            at: "5:9", path: "after[0]", message: "no service named 'db' in the desired state"),
        Case(
            name: "after names the service itself",
            yaml: Case.service("after: [web]"),
            at: "5:9", path: "after[0]", message: "a service cannot come after itself"),
        Case(
            name: "two services with one name",
            yaml: named("web") + "---\n" + named("web"),
            at: "8:7", path: "name",
            message: "web.service is already defined by service 'web' at desired-state/app.yaml:3:7"),
        Case(
            name: "a unit with the file name of a service",
            yaml: named("web")
                + "---\napiVersion: reconciler/v1\nkind: Unit\nname: web.service\ncontents: \"[Service]\"\n",
            at: "8:7", path: "name",
            message: "web.service is already defined by service 'web' at desired-state/app.yaml:3:7"),
        Case(
            name: "a dependency cycle is named",
            yaml: named("a") + "after: [b]\n---\n" + named("b") + "after: [a]\n",
            at: "11:9", path: "after[0]", message: "dependency cycle: a -> b -> a"),
        Case(
            name: "two services publishing one host port",
            yaml: named("a") + "ports: [\"8080:80\"]\n---\n" + named("b") + "ports: [\"0.0.0.0:8080:81\"]\n",
            at: "11:9", path: "ports[0]",
            message: "host port 0.0.0.0:8080/tcp is already published by service 'a' at desired-state/app.yaml:5:9"),
    ]
}
