/// Renders a plain `Unit` from the repository: its text with our header and ownership marker.
public enum UnitFileRenderer {
    public static func render(_ unit: UnitSpec) -> RenderedUnit {
        let source = unit.sourcePath ?? unit.location.file
        let marker = OwnershipMarker.line(source: source)
        var lines = unit.contents.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if let header = lines.firstIndex(where: { Substring($0).trimmingWhitespace() == "[Unit]" }) {
            lines.insert(marker, at: header + 1)
        } else {
            lines.insert(contentsOf: ["[Unit]", marker, ""], at: 0)
        }
        let contents = OwnershipMarker.header(source: source) + lines.joined(separator: "\n") + "\n"
        return RenderedUnit(name: unit.name, contents: contents, source: source)
    }
}
