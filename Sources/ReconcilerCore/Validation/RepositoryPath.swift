/// Resolves repository-relative paths as the kernel would, but never outside the tree.
///
/// The tree does not follow symlinks, so resolution happens here, one component at a time:
/// `.` is skipped, `..` goes up (never above the root), and a symlink's target is read and
/// continued from the link's directory. An absolute target, a climb above the root or more than
/// `maximumSymlinkHops` links (Linux's MAXSYMLINKS) is refused, so a manifest cannot make
/// `podman build` or the unit writer read anything the commit does not contain.
enum RepositoryPath {
    /// Linux gives up after 40 links (path_resolution(7)); so do we.
    static let maximumSymlinkHops = 40

    /// A path that resolved, and what it resolved to.
    struct Resolved: Equatable {
        /// The resolved path without symlinks, `.`, or `..`; "." is the repository root.
        var path: String
        /// What is there: never a symlink.
        var entry: RepositoryEntry
    }

    /// Why a path cannot be used.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case absolute(String)
        /// `..` climbed above the root, through the symlink `link` when there was one.
        case outside(String, link: String?, target: String?)
        case tooManySymlinks(String)
        case notFound(path: String, missing: String)
        case notADirectory(path: String, file: String)
        case submodule(path: String, submodule: String)
        /// A component (of the path or of a symlink's target) holds a control character.
        case controlCharacter(path: String, component: String)

        var description: String {
            switch self {
            case .empty:
                "the path is empty"
            case .absolute(let path):
                "'\(path)' is absolute; paths in manifests are relative to the repository root"
            case .outside(let path, let link?, let target?):
                "'\(path)' resolves outside the repository through the symlink '\(link)' -> '\(target)'"
            case .outside(let path, _, _):
                "'\(path)' resolves outside the repository"
            case .tooManySymlinks(let path):
                "'\(path)' goes through more than \(maximumSymlinkHops) symlinks (a symlink loop?)"
            case .notFound(let path, let missing) where path == missing:
                "'\(path)' does not exist in the repository"
            case .notFound(let path, let missing):
                "'\(path)' does not exist in the repository ('\(missing)' is missing)"
            case .notADirectory(let path, let file):
                "'\(path)' cannot be resolved: '\(file)' is a file, not a directory"
            case .submodule(let path, let submodule):
                "'\(path)' goes into the submodule '\(submodule)', whose files are not part of the repository"
            case .controlCharacter(let path, let component):
                "'\(SystemdEscaping.singleLine(path))' goes through '\(SystemdEscaping.singleLine(component))', whose"
                    + " name holds a control character; paths are written into unit files, rename it in git"
            }
        }
    }

    /// Resolves `path`, relative to the repository root, inside `tree`.
    /// - Returns: The symlink-free path and its entry, or why there is none.
    static func resolve(_ path: String, in tree: some RepositoryTree) -> Result<Resolved, Problem> {
        guard !path.isEmpty else { return .failure(.empty) }
        guard !path.hasPrefix("/") else { return .failure(.absolute(path)) }
        // Components still to walk, last one first; symlink targets are pushed in front of the rest.
        var pending = components(path).reversed() as [Substring]
        var resolved: [Substring] = []
        var current = RepositoryEntry.directory
        var hops = 0
        var lastLink: (link: String, target: String)?
        while let component = pending.popLast() {
            // The path text was checked when decoded; a symlink target was not.
            if ScalarText.firstControlCharacter(in: String(component)) != nil {
                return .failure(.controlCharacter(path: path, component: String(component)))
            }
            if case .file = current {
                return .failure(.notADirectory(path: path, file: resolved.joined(separator: "/")))
            }
            if component == ".." {
                guard !resolved.isEmpty else {
                    return .failure(.outside(path, link: lastLink?.link, target: lastLink?.target))
                }
                resolved.removeLast()
                current = .directory
                continue
            }
            let candidate = (resolved + [component]).joined(separator: "/")
            switch tree.entry(at: candidate) {
            case nil:
                return .failure(.notFound(path: path, missing: candidate))
            case .submodule:
                return .failure(.submodule(path: path, submodule: candidate))
            case .symlink(let target):
                hops += 1
                guard hops <= maximumSymlinkHops else { return .failure(.tooManySymlinks(path)) }
                lastLink = (candidate, target)
                guard !target.hasPrefix("/"), !target.isEmpty else {
                    return .failure(.outside(path, link: candidate, target: target))
                }
                pending.append(contentsOf: components(target).reversed())
            case let entry?:
                resolved.append(component)
                current = entry
            }
        }
        return .success(Resolved(path: resolved.isEmpty ? "." : resolved.joined(separator: "/"), entry: current))
    }

    /// Lexically normalised: no empty or `.` components, `..` applied; nil when `..` climbs above the root.
    /// Used where symlinks are refused rather than followed, such as the desired-state folder itself.
    static func normalized(_ path: String) -> String? {
        var result: [Substring] = []
        for component in components(path) {
            if component == ".." {
                guard result.popLast() != nil else { return nil }
            } else {
                result.append(component)
            }
        }
        return result.isEmpty ? "." : result.joined(separator: "/")
    }

    /// The non-empty, non-`.` components of `path`.
    private static func components(_ path: String) -> [Substring] {
        path.split(separator: "/").filter { $0 != "." }
    }
}
