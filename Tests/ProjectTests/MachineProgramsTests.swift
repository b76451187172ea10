import Foundation
import Testing

/// `make test` promises to do its own setup on a fresh Debian 12 machine. These tests keep
/// that promise checkable: every program the project starts on the machine comes from a
/// package that `scripts/install-dependencies` installs.
struct MachineProgramsTests {
    @Test func everyProgramTheProjectStartsComesFromAPackageTheInstallScriptInstalls() throws {
        let manifest = try ProgramManifest.load()
        let packages = try InstalledPackageList.load()

        let problems = PackageOwnership.check(programs: manifest.programs, packages: packages)

        #expect(problems == [], "\(problems.map(\.description).joined(separator: "\n"))")
    }

    /// For every listed package that provides a program and that nothing else on the list
    /// pulls in, leaving it out must make the check fail, naming the program and the package.
    @Test func droppingAPackageFromTheInstallScriptIsCaughtAndNamesTheProgram() throws {
        let manifest = try ProgramManifest.load()
        let packages = try InstalledPackageList.load()
        var caught: Set<String> = []
        for program in manifest.programs {
            let path = try #require(PackageOwnership.resolve(program), "\(program) is not installed")
            let owners = PackageOwnership.owningPackages(of: path)
            guard owners.count == 1, let owner = owners.first, packages.contains(owner),
                !PackageOwnership.isEssential(owner)
            else { continue }
            let remaining = packages.subtracting([owner])
            let installed = PackageOwnership.dependencyClosure(of: remaining)
            guard !installed.contains(owner) else { continue }

            let problems = PackageOwnership.check(programs: [program], installed: installed)

            #expect(problems.map(\.program) == [program], "dropping \(owner) went unnoticed for \(program)")
            #expect(problems.first?.message.contains(owner) == true)
            caught.insert(owner)
        }
        #expect(caught.isSuperset(of: ["podman", "systemd-container", "debootstrap", "openssh-server"]))
    }

    @Test func aProgramThatIsNotInstalledIsReportedByName() {
        let problems = PackageOwnership.check(programs: ["reconciler-no-such-program"], packages: ["podman"])

        #expect(problems.map(\.program) == ["reconciler-no-such-program"])
        #expect(problems.first?.message.contains("not installed") == true)
    }

    @Test func theInstallScriptListsPodman() throws {
        #expect(try InstalledPackageList.load().isSuperset(of: ["podman", "git", "systemd-container", "debootstrap"]))
    }

    /// An absolute program path written anywhere in the code or the scripts must be in the
    /// manifest, so a new program cannot slip in without its package.
    @Test func everyProgramPathInTheCodeIsInTheManifest() throws {
        let manifest = try ProgramManifest.load()
        let known = manifest.names.union(manifest.hostOnly)
        var unknown: [String] = []
        for file in try Self.sourceFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            for name in Self.programPaths(in: text) where !known.contains(name) {
                unknown.append("\(file.path.dropFirst(ProgramManifest.repository.path.count + 1)): \(name)")
            }
        }
        #expect(unknown == [], "add these to scripts/machine-programs:\n\(unknown.joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("let git = \"/usr/bin/git\"", ["git"]),
        ("ExecStart=/usr/sbin/sshd -D", ["sshd"]),
        ("[ -x /bin/sh ] && /sbin/ip link", ["sh", "ip"]),
        ("/usr/local/bin/reconciler and /etc/bin/x and a/usr/bin/y and ${prefix}/bin/z and $root/bin/w", []),
    ])
    func programPathsAreFoundInText(text: String, expected: [String]) {
        #expect(Self.programPaths(in: text) == expected)
    }

    static func programPaths(in text: String) -> [String] {
        // No lookbehind in Swift's regexes: the character before the path is matched instead.
        // `$prefix/bin/x`, `${dir}/bin/x` and a sed pattern's `[^ ]*/bin/x` are not programs of the machine.
        let pattern = /(?:^|[^A-Za-z0-9_.\/}$*\]-])\/(?:usr\/)?s?bin\/([A-Za-z0-9][A-Za-z0-9._+-]*)/
            .anchorsMatchLineEndings()
        return text.matches(of: pattern).map { String($0.output.1) }
    }

    /// Swift sources and tests (golden files left out: they are rendered units, run on
    /// hosts) and the scripts.
    static func sourceFiles() throws -> [URL] {
        var files: [URL] = []
        for folder in ["Sources", "Tests", "scripts"] {
            let root = ProgramManifest.repository.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker {
                let path = url.path
                if path.contains("/Fixtures/") || path.hasSuffix("/machine-programs") { continue }
                if folder == "scripts" || path.hasSuffix(".swift") { files.append(url) }
            }
        }
        return files.filter { !$0.hasDirectoryPath }
    }
}
