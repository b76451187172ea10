/// A unit file the reconciler would write: its name and complete text.
public struct RenderedUnit: Sendable, Equatable, Codable {
    /// The unit name, e.g. `blog.service`; the file is /etc/systemd/system/<name>.
    public var name: String
    /// The file's text, ending in a newline.
    public var contents: String
    /// Where it came from in the repository, also recorded in the file's marker.
    public var source: String

    public init(name: String, contents: String, source: String) {
        self.name = name
        self.contents = contents
        self.source = source
    }
}

/// The line in `[Unit]` by which the reconciler recognises the files it owns. It never
/// changes or removes a unit file without it.
public enum OwnershipMarker {
    public static let key = "X-Reconciler-Source"

    /// The marker line for a unit rendered from `source` (a path in the repository).
    /// The source is escaped to one line: it is a repository path, which git lets hold anything.
    public static func line(source: String) -> String { "\(key)=\(SystemdEscaping.singleLine(source))" }

    /// The source recorded in a unit file's `[Unit]` section, or nil when the file is not ours.
    public static func source(in contents: String) -> String? {
        var inUnitSection = false
        for rawLine in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingWhitespace()
            if line.hasPrefix("[") {
                inUnitSection = line == "[Unit]"
            } else if inUnitSection, line.hasPrefix("\(key)=") {
                return String(line.dropFirst(key.count + 1))
            }
        }
        return nil
    }

    /// The comment at the top of every file we write.
    static func header(source: String) -> String {
        "# Written by reconciler from \(SystemdEscaping.singleLine(source)). Local edits are reverted on the next"
            + " run;\n"
            + "# change the desired state in git instead.\n"
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" || first == "\r" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
        return result
    }
}
