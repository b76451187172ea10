/// How a rendered unit hands a service its secrets.
///
/// The unit carries the ciphertext (base64, in `Environment=`) and decrypts it itself in
/// `ExecStartPre=` with the host's age identity, into tmpfs under `/run/reconciler/secrets/`,
/// which the container mounts read-only at `/run/secrets`. So a unit gets its secrets at boot
/// before the agent runs, a rollback's older unit brings its own secrets back, and a rotated
/// secret changes only the units that use it. The clear text only ever passes through a pipe
/// and tmpfs: never argv (`ps`), the unit file, the container's stored config (which
/// `--env`/`--env-file` would write under /var/lib/containers), nor the agent's memory. The
/// files are removed when the unit stops.
extension ServiceRenderer {
    /// The host directory of one service's decrypted files.
    static func secretDirectory(_ service: ServiceSpec) -> String {
        "\(SecretFile.hostDirectory)/\(service.name)"
    }

    /// The variable that holds secret `index`'s ciphertext in the unit's environment.
    static func secretVariable(_ index: Int) -> String { "RECONCILER_SECRET_\(index)" }

    /// `Environment=` lines with the ciphertexts; base64 needs no quoting in a unit file.
    func secretEnvironment(_ service: ServiceSpec) -> [String] {
        service.secrets.enumerated().map { index, secret in
            "Environment=\(Self.secretVariable(index))=\(Base64.encode(secret.ciphertext))"
        }
    }

    /// The `ExecStartPre=` that decrypts every secret, or nothing for a service without any.
    func secretStart(_ service: ServiceSpec) -> [String] {
        guard !service.secrets.isEmpty else { return [] }
        let directory = Self.secretDirectory(service)
        // Names are validated plain file names, so they need no shell quoting; the identity
        // path is the operator's and is quoted.
        var script = [
            "set -eu", "umask 077", "mkdir -p \(SecretFile.hostDirectory)", "chmod 0700 \(SecretFile.hostDirectory)",
            "rm -rf \(directory)", "mkdir -m 0755 \(directory)",
        ]
        for (index, secret) in service.secrets.enumerated() {
            let target = "\(directory)/\(secret.name)"
            script.append(
                "printf %s \"$\(Self.secretVariable(index))\" | base64 -d | age -d -i \(Self.shellQuoted(ageIdentity))"
                    + " > \(target)")
            // Readable by the container's user, whoever it is: the 0700 parent keeps host users out.
            script.append("chmod 0444 \(target)")
        }
        let line: [ExecWord] = ["/bin/sh", "-c", .literal(script.joined(separator: "; "))]
        return ["ExecStartPre=\(SystemdEscaping.execLine(line))"]
    }

    /// The `ExecStopPost=` that removes the clear text once the container is gone.
    func secretStop(_ service: ServiceSpec) -> [String] {
        guard !service.secrets.isEmpty else { return [] }
        let remove: [ExecWord] = ["/usr/bin/rm", "-rf", .literal(Self.secretDirectory(service))]
        return ["ExecStopPost=-\(SystemdEscaping.execLine(remove))"]
    }

    /// The read-only mount of the service's decrypted files at `/run/secrets`.
    func secretOptions(_ service: ServiceSpec) -> [String] {
        guard !service.secrets.isEmpty else { return [] }
        return ["--volume", "\(Self.secretDirectory(service)):\(SecretFile.containerDirectory):ro"]
    }

    /// POSIX shell single quotes: `'` becomes `'\''`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}

/// RFC 4648 base64, which `base64 -d` reads back; the core has no Foundation.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                if position <= chunk.count {
                    output.append(alphabet[Int((value >> (18 - 6 * UInt32(position))) & 0x3F)])
                } else {
                    output.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
