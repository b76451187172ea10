/// FNV-1a, 64 bits, as 16 lowercase hex digits: stable short names for content (the mirror
/// of a URL, the image tag of a build context). Not a security measure.
public enum ContentHash {
    public static func hex(_ text: String) -> String {
        hex(bytes: text.utf8)
    }

    public static func hex(bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
