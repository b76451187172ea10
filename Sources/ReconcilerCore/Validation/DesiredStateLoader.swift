internal import Yams

/// Reads, decodes and validates the desired state of one repository revision.
public enum DesiredStateLoader {
    /// Manifests larger than this are refused before they are read (1 MiB).
    public static let maximumFileSize = 1_048_576

    /// Loads every manifest under `folder` and reports all problems of the whole tree at once.
    ///
    /// All `*.yaml` and `*.yml` files below the folder are read in sorted order, each may hold
    /// several documents. Any error anywhere rejects the whole desired state, so a host never
    /// applies half a commit. A folder that exists but holds no documents gives an empty state;
    /// whether an empty state may be applied is the caller's decision.
    /// - Parameters:
    ///   - tree: The repository revision; symlinks in it are resolved only within it.
    ///   - folder: The desired-state folder, relative to the repository root.
    /// - Returns: The state (nil on any error) and the sorted diagnostics.
    public static func load(from tree: some RepositoryTree, folder: String = "desired-state") -> DesiredStateLoad {
        let listing = DesiredStateFolder.list(folder, in: tree)
        var diagnostics = listing.diagnostics
        var services: [DecodedService] = []
        var units: [DecodedUnit] = []
        for file in listing.manifests {
            var decoder = NodeDecoder(file: file, tree: tree)
            for document in documents(of: file, in: tree, diagnostics: &diagnostics) {
                switch decoder.document(document) {
                case .service(let service)?: services.append(service)
                case .unit(let unit)?: units.append(unit)
                case nil: break
                }
            }
            diagnostics += decoder.diagnostics
        }
        services = ReplicaExpansion.expand(services)
        diagnostics += CrossDocumentChecks.diagnostics(services: services, units: units)
        diagnostics.sort { ($0.location, $0.path, $0.message) < ($1.location, $1.path, $1.message) }
        let hasErrors = diagnostics.contains { $0.severity == .error }
        let state = hasErrors ? nil : DesiredState(services: services.map(\.spec), units: units.map(\.spec))
        return DesiredStateLoad(state: state, diagnostics: diagnostics)
    }

    /// The composed documents of one manifest file, after the size and encoding checks.
    private static func documents(
        of file: String, in tree: some RepositoryTree, diagnostics: inout [Diagnostic]
    ) -> [Node] {
        let start = SourceLocation(file: file, line: 1, column: 1)
        if case .file(let size)? = tree.entry(at: file), size > maximumFileSize {
            diagnostics.append(
                Diagnostic(
                    at: start, "file is \(size) bytes; manifests may be at most \(maximumFileSize) bytes (1 MiB)"))
            return []
        }
        let bytes: [UInt8]
        do {
            bytes = try tree.contents(of: file)
        } catch {
            diagnostics.append(Diagnostic(at: start, "cannot read the file: \(error)"))
            return []
        }
        // The entry's size may be stale or wrong; the bound holds on what was actually read.
        guard bytes.count <= maximumFileSize else {
            diagnostics.append(
                Diagnostic(
                    at: start, "file is \(bytes.count) bytes; manifests may be at most \(maximumFileSize) bytes (1 MiB)"
                ))
            return []
        }
        let yaml = YAMLFile(bytes: bytes, file: file)
        diagnostics += yaml.diagnostics
        return yaml.documents
    }
}
