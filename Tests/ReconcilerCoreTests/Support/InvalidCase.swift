import ReconcilerTesting
import Testing

/// One invalid manifest and the single diagnostic it must produce.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// The text of desired-state/app.yaml.
    var yaml: String
    /// `line:column` in desired-state/app.yaml.
    var at: String
    /// The field path.
    var path: String
    /// A distinctive part of the message.
    var message: String
    /// Extra entries of the repository.
    var extra: [String: InMemoryTree.Item] = [:]

    var testDescription: String { name }

    static let file = "desired-state/app.yaml"

    /// A repository with a root Dockerfile, an app/ folder without one, a unit file, and the manifest.
    var tree: InMemoryTree {
        var tree = InMemoryTree([
            "Dockerfile": "FROM scratch\n",
            "app/main.py": "print('hi')\n",
            "desired-state/files/backup.timer": "[Timer]\nOnCalendar=daily\n",
            Self.file: yaml,
        ])
        for (path, item) in extra { tree = tree.with(path, item) }
        return tree
    }

    /// A Service document: four header lines, so `lines` start on line 5.
    static func service(_ lines: String...) -> String {
        (["apiVersion: reconciler/v1", "kind: Service", "name: web", "image: {ref: \"nginx:1.27\"}"] + lines)
            .joined(separator: "\n") + "\n"
    }

    /// A Unit document named web-backup.timer: three header lines, so `lines` start on line 4.
    static func unit(_ lines: String...) -> String {
        (["apiVersion: reconciler/v1", "kind: Unit", "name: web-backup.timer"] + lines).joined(separator: "\n") + "\n"
    }
}
