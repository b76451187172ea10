/// Finds the manifest files of a desired-state folder without following anything.
enum DesiredStateFolder {
    /// The folder, below the desired-state folder, that holds files manifests point at (unit files).
    /// It is not searched for manifests, so a YAML file kept there as data is not read as one.
    static let filesFolder = "files"

    /// The manifests under `folder` and the problems met while looking.
    struct Listing {
        /// Repository-relative paths of `*.yaml` and `*.yml` files, sorted.
        var manifests: [String] = []
        var diagnostics: [Diagnostic] = []
    }

    /// Walks `folder` recursively in sorted order.
    ///
    /// A missing folder is an error rather than an empty desired state: a typo in the configured
    /// path must not read as "remove everything". Symlinks and submodules are refused wherever
    /// they are inside the folder, so what is validated is exactly what the commit contains.
    static func list(_ folder: String, in tree: some RepositoryTree) -> Listing {
        var listing = Listing()
        let start = SourceLocation(file: folder, line: 1, column: 1)
        if let control = ScalarText.firstControlCharacter(in: folder) {
            listing.diagnostics.append(
                Diagnostic(
                    at: SourceLocation(file: SystemdEscaping.singleLine(folder), line: 1, column: 1),
                    "desired-state folder '\(SystemdEscaping.singleLine(folder))' has a control character"
                        + " (\(ScalarText.codePoint(control))); choose a folder whose path has none"))
            return listing
        }
        guard let root = RepositoryPath.normalized(folder), !folder.hasPrefix("/") else {
            listing.diagnostics.append(
                Diagnostic(at: start, "desired-state folder '\(folder)' must be a path inside the repository"))
            return listing
        }
        // Every ancestor must be a real directory too, or the folder would be reached through a link.
        var prefix: [Substring] = []
        for component in root.split(separator: "/") where root != "." {
            prefix.append(component)
            let path = prefix.joined(separator: "/")
            switch tree.entry(at: path) {
            case .directory?:
                continue
            case nil:
                listing.diagnostics.append(
                    Diagnostic(
                        at: start,
                        "desired-state folder '\(root)' not found in the repository; an empty desired state"
                            + " must be an empty folder (with a .gitkeep file)"))
            case .symlink(let target)?:
                listing.diagnostics.append(
                    Diagnostic(
                        at: start, "'\(path)' is a symlink to '\(target)'; the desired-state folder must be a directory"
                    ))
            case .file?, .submodule?:
                listing.diagnostics.append(
                    Diagnostic(at: start, "'\(path)' is not a directory; the desired-state folder must be one"))
            }
            return listing
        }
        walk(root, root: root, into: &listing, tree: tree)
        return listing
    }

    private static func walk(_ directory: String, root: String, into listing: inout Listing, tree: some RepositoryTree)
    {
        let names: [String]
        do {
            names = try tree.children(of: directory).sorted()
        } catch {
            listing.diagnostics.append(
                Diagnostic(
                    at: SourceLocation(file: directory, line: 1, column: 1), "cannot list '\(directory)': \(error)"))
            return
        }
        for name in names {
            let path = directory == "." ? name : "\(directory)/\(name)"
            // Paths end up in unit files (header, marker) and in every message: a line break
            // there would add lines to both. Reported at the parent, whose name is clean.
            if let control = ScalarText.firstControlCharacter(in: name) {
                listing.diagnostics.append(
                    Diagnostic(
                        at: SourceLocation(file: directory, line: 1, column: 1),
                        "'\(SystemdEscaping.singleLine(path))' has a control character"
                            + " (\(ScalarText.codePoint(control))) in its name; names under the desired-state folder"
                            + " are written into unit files and must not hold one: rename it in git"))
                continue
            }
            let here = SourceLocation(file: path, line: 1, column: 1)
            switch tree.entry(at: path) {
            case .directory?:
                walk(path, root: root, into: &listing, tree: tree)
            case .file?:
                let isManifest = name.hasSuffix(".yaml") || name.hasSuffix(".yml")
                let inFilesFolder = path.hasPrefix(root == "." ? "\(filesFolder)/" : "\(root)/\(filesFolder)/")
                if isManifest && !inFilesFolder { listing.manifests.append(path) }
            case .symlink(let target)?:
                listing.diagnostics.append(
                    Diagnostic(
                        at: here,
                        "'\(path)' is a symlink to '\(target)'; symlinks inside the desired-state folder are refused"
                            + " (never followed): commit the file itself"))
            case .submodule?:
                listing.diagnostics.append(
                    Diagnostic(
                        at: here,
                        "'\(path)' is a git submodule; submodules inside the desired-state folder are refused"))
            case nil:
                listing.diagnostics.append(Diagnostic(at: here, "'\(path)' was listed but cannot be read"))
            }
        }
    }
}
