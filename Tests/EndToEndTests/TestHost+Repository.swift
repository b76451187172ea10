import Foundation

extension TestHost {
    /// Copies this repository's files (tracked and new, not ignored) into the host at `destination`.
    /// Unless `production` is set, the single-host blog (examples/single-host/blog.yaml) takes the
    /// place of the production documents in desired-state/, as the README tells an operator to
    /// do: one instance on port 8080 with SQLite, what most suites deploy.
    func copyRepository(to destination: String, production: Bool = false) throws {
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("repo-\(UUID().uuidString).tar")
        defer { try? FileManager.default.removeItem(at: archive) }
        let pack = try Command.run(
            "/bin/sh",
            [
                "-c",
                "cd \"$1\" && git ls-files -z -co --exclude-standard | tar --null -T - -cf \"$2\"", "sh",
                Testbed.repositoryRoot, archive.path,
            ])
        guard pack.status == 0 else { throw TestbedError(message: "packing the repository failed: \(pack)") }
        try copy(archive.path, to: "/var/tmp/repo.tar")
        try mustExec("rm", "-rf", destination)
        try mustExec("mkdir", "-p", destination)
        try mustExec("tar", "-C", destination, "-xf", "/var/tmp/repo.tar")
        if !production {
            try mustExec(
                "sh", "-c", "cd \"$1\" && rm desired-state/*.yaml && cp examples/single-host/blog.yaml desired-state/",
                "sh", destination)
        }
    }

    /// Writes `files` (repository-relative path -> text) into a fresh folder at `destination` in the host.
    func writeRepository(_ files: [String: String], to destination: String) throws {
        let local = FileManager.default.temporaryDirectory.appendingPathComponent("repo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: local) }
        for (path, text) in files {
            let url = local.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try mustExec("rm", "-rf", destination)
        try copy(local.path, to: destination)
    }

    /// Copies a file or folder from this machine into the host.
    func copy(_ source: String, to destination: String) throws {
        let result = try Testbed.run(["cp", name, source, destination])
        guard result.status == 0 else { throw TestbedError(message: "testbed cp failed: \(result)") }
    }

    /// Renders the desired state of the checkout at `repository` inside the host and installs
    /// the units into /etc/systemd/system, then reloads systemd. Returns the unit names.
    @discardableResult
    func installRenderedUnits(from repository: String, runtime: String = "podman") throws -> [String] {
        let json = try mustExec("reconciler", "render", repository, "--runtime", runtime, "--output", "json")
        let units = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        var names: [String] = []
        for unit in units {
            guard let name = unit["name"] as? String, let contents = unit["contents"] as? String else { continue }
            let local = FileManager.default.temporaryDirectory.appendingPathComponent("unit-\(UUID().uuidString)")
            try contents.write(to: local, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: local) }
            try copy(local.path, to: "/etc/systemd/system/\(name)")
            names.append(name)
        }
        try mustExec("systemctl", "daemon-reload")
        return names
    }
}
