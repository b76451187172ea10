import Foundation
import ReconcilerTesting

/// Which Debian package provides a program on this machine, asked of dpkg.
enum PackageOwnership {
    /// The directories a program name is looked up in. /usr/local is left out on purpose:
    /// nothing there comes from a package.
    static let systemPath = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    struct Problem: Error, Equatable, CustomStringConvertible {
        var program: String
        var message: String
        var description: String { "\(program): \(message)" }
    }

    /// Checks that every program comes from one of `packages`, from a package they depend on
    /// (apt installs those too), or from an Essential package.
    /// - Returns: one problem per program that does not, naming it.
    static func check(programs: [String], packages: Set<String>) -> [Problem] {
        check(programs: programs, installed: dependencyClosure(of: packages))
    }

    /// As `check(programs:packages:)`, for a caller that has the dependency closure already.
    static func check(programs: [String], installed: Set<String>) -> [Problem] {
        programs.compactMap { program in
            guard let path = resolve(program) else {
                return Problem(
                    program: program,
                    message:
                        "not installed (looked in \(systemPath.joined(separator: ":"))); add its package to scripts/install-dependencies"
                )
            }
            let owners = owningPackages(of: path)
            guard !owners.isEmpty else {
                return Problem(program: program, message: "\(path) belongs to no Debian package")
            }
            if owners.contains(where: { installed.contains($0) || isEssential($0) }) { return nil }
            return Problem(
                program: program,
                message:
                    "\(path) comes from \(owners.sorted().joined(separator: ", ")), which scripts/install-dependencies does not install"
            )
        }
    }

    /// The program's real path: an absolute path as given, or the first match on the
    /// system path, with symlinks (alternatives included) resolved.
    static func resolve(_ program: String) -> String? {
        let candidates = program.hasPrefix("/") ? [program] : systemPath.map { "\($0)/\(program)" }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
        }
        return nil
    }

    /// `dpkg -S` on the path and, because of the merged /usr, on its twin (/usr/bin/x and
    /// /bin/x): dpkg records the path the package shipped.
    static func owningPackages(of path: String) -> Set<String> {
        var paths = [path]
        if path.hasPrefix("/usr/") { paths.append(String(path.dropFirst(4))) } else { paths.append("/usr" + path) }
        var owners = Set<String>()
        for candidate in paths {
            guard let output = dpkg(["-S", candidate]) else { continue }
            for line in output.split(separator: "\n") where !line.hasPrefix("diversion by") {
                guard let colon = line.range(of: ": ") else { continue }
                for name in line[..<colon.lowerBound].split(separator: ",") {
                    // "libfoo:amd64" -> "libfoo"
                    let bare = name.trimmingCharacters(in: .whitespaces).split(separator: ":").first ?? ""
                    if !bare.isEmpty { owners.insert(String(bare)) }
                }
            }
        }
        return owners
    }

    /// The packages and everything they depend on (Depends and Pre-Depends, recursively), as
    /// apt would install them with --no-install-recommends.
    static func dependencyClosure(of packages: Set<String>) -> Set<String> {
        guard !packages.isEmpty else { return [] }
        let flags = [
            "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances",
        ]
        guard let output = run("/usr/bin/apt-cache", ["depends", "--recurse"] + flags + packages.sorted()) else {
            return packages
        }
        var closure = packages
        for line in output.split(separator: "\n") where !line.hasPrefix(" ") && !line.hasPrefix("<") {
            closure.insert(String(line))
        }
        return closure
    }

    static func isEssential(_ package: String) -> Bool {
        dpkg(["-W", "-f=${Essential}", package])?.trimmingCharacters(in: .whitespacesAndNewlines) == "yes"
    }

    /// dpkg-query's standard output, or nil when it fails (no such path or package).
    private static func dpkg(_ arguments: [String]) -> String? {
        run("/usr/bin/dpkg-query", arguments)
    }

    private static func run(_ executable: String, _ arguments: [String]) -> String? {
        guard let run = try? ToolRun.run(executable, arguments), run.status == 0 else { return nil }
        return run.standardOutput
    }
}
