/// A file encrypted with age in git, which a service's container reads in clear at
/// `/run/secrets/NAME` (`secrets:` of a Service).
///
/// Only the ciphertext is ever held here: the host decrypts it when the unit starts, into
/// tmpfs, with its own identity. The ciphertext goes into the unit file, so a rotated secret
/// changes the unit (and restarts only its service) and a rolled-back unit brings its own
/// secret back.
public struct SecretFile: Sendable, Hashable {
    /// The file name inside the container's `/run/secrets/`.
    public var name: String
    /// The encrypted file, relative to the repository root.
    public var path: String
    /// The age-encrypted bytes as committed (binary or armored).
    public var ciphertext: [UInt8]

    public init(name: String, path: String, ciphertext: [UInt8]) {
        self.name = name
        self.path = path
        self.ciphertext = ciphertext
    }

    /// Where containers find their secrets, Docker's convention.
    public static let containerDirectory = "/run/secrets"
    /// Where the host keeps the decrypted files of running units: tmpfs, one directory per service.
    public static let hostDirectory = "/run/reconciler/secrets"
    /// Larger files are refused: they travel in the unit file (64 KiB).
    public static let maximumSize = 65_536

    /// The headers age writes: binary (`age -o`) and armored (`age -a`).
    static let headers = ["age-encryption.org/v1\n", "-----BEGIN AGE ENCRYPTED FILE-----"]

    /// True when `bytes` start like an age file, so a file committed in clear is caught.
    static func looksEncrypted(_ bytes: [UInt8]) -> Bool {
        headers.contains { bytes.starts(with: Array($0.utf8)) }
    }
}
