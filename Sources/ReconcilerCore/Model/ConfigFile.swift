/// A plain file from git that a service's container reads (`files:` of a Service), such as
/// a proxy's Caddyfile. Configuration, not secrets: it is shown by `diff` (secrets are age files).
///
/// The reconciler writes it under `hostDirectory`, a tree it alone owns, and mounts the file's
/// DIRECTORY read-only at the target's directory. Not the file itself: writes are atomic
/// renames, and a container that bind-mounted the old file keeps the old inode forever.
/// The contents stay out of the unit file, so a changed file alone reloads the service
/// (`reload:`) instead of restarting it.
public struct ConfigFile: Sendable, Hashable {
    /// The file in the repository, relative to its root.
    public var source: String
    /// The absolute path the container reads.
    public var target: String
    /// Permission bits on the host (and so in the container), 0644 unless set.
    public var mode: UInt16
    public var contents: [UInt8]

    public init(source: String, target: String, mode: UInt16 = ConfigFile.defaultMode, contents: [UInt8]) {
        self.source = source
        self.target = target
        self.mode = mode
        self.contents = contents
    }

    /// The tree the reconciler owns on the host: one directory per service, then one per target directory.
    public static let hostDirectory = "/var/lib/reconciler/files"
    public static let defaultMode: UInt16 = 0o644
    /// Larger files are refused: configuration, not data (1 MiB).
    public static let maximumSize = 1_048_576

    /// `/etc/caddy` of the container.
    public var targetDirectory: String {
        let parent = target.split(separator: "/").dropLast().joined(separator: "/")
        return "/" + parent
    }

    public var fileName: String { String(target.split(separator: "/").last ?? "") }

    /// The host directory mounted at `targetDirectory` for `service`: the target directory as
    /// one name, `/etc/caddy` → `etc+caddy`. Unambiguous: targets may not contain `+`.
    public static func hostDirectory(service: String, targetDirectory: String) -> String {
        let name = targetDirectory.split(separator: "/").joined(separator: "+")
        return "\(hostDirectory)/\(service)/\(name)"
    }

    /// Why `target` cannot be a file's path in the container, nil when it can.
    public static func targetProblem(_ target: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/")
        guard target.hasPrefix("/"), target.count <= 255 else {
            return "target '\(target)' must be an absolute path in the container of at most 255 characters"
        }
        guard target.allSatisfy(allowed.contains) else {
            return "target '\(target)' may contain only letters, digits, '.', '_', '-' and '/'"
        }
        let parts = target.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            return "target '\(target)' must name a file inside a directory, like /etc/caddy/Caddyfile, with no"
                + " empty, '.' or '..' parts"
        }
        let top = parts.first ?? ""
        guard !["proc", "sys", "dev", "run"].contains(top) else {
            return "target '\(target)' is under /\(top), which the container runtime owns; choose a directory"
                + " such as /etc/NAME"
        }
        return nil
    }

    /// The directory name under `hostDirectory` of a plain unit's files: `unit+NAME`, which no
    /// service name can be (`+` is not allowed in names), so the two never share a directory.
    public static func owner(unit name: String) -> String { "unit+\(name)" }

    /// Where this file lands on the host for `service` (or a plain unit's `owner(unit:)`).
    public func hostPath(service: String) -> String {
        "\(Self.hostDirectory(service: service, targetDirectory: targetDirectory))/\(fileName)"
    }
}
