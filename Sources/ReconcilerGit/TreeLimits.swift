/// How large a commit's tree may be before the agent refuses to read it. A hostile or broken
/// commit (a huge blob, a tree nested thousands deep, millions of entries) must end in a clear
/// error, not in an agent that runs out of memory or stack halfway through a sync.
///
/// The defaults leave room for real repositories with build contexts (an image's sources,
/// vendored dependencies) while keeping one sync's memory bounded by one blob.
public struct TreeLimits: Sendable, Equatable {
    /// Bytes of one file; checked from the object header, before the blob is inflated.
    public var maximumBlobSize: UInt64
    /// Directories nested below the root.
    public var maximumDepth: Int
    /// Files, directories and links in the whole tree.
    public var maximumEntries: Int

    public init(maximumBlobSize: UInt64 = 100 << 20, maximumDepth: Int = 64, maximumEntries: Int = 100_000) {
        self.maximumBlobSize = maximumBlobSize
        self.maximumDepth = maximumDepth
        self.maximumEntries = maximumEntries
    }
}

/// A commit's tree passed one of the `TreeLimits`: the commit is refused, not the mirror repaired.
struct TreeLimitExceeded: Error, CustomStringConvertible {
    var description: String
}

/// "100 MiB" for the limits' messages.
func byteCount(_ bytes: UInt64) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
    if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
    return "\(bytes) bytes"
}
