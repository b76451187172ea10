/// Textual IPv4 and IPv6 addresses, checked without the C library so the core stays pure.
enum IPAddressSyntax {
    /// Dotted-quad IPv4: four decimal numbers 0-255 without leading zeros.
    static func isIPv4(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit)
                    && (part.count == 1 || part.first != "0") && (Int(part) ?? 256) <= 255
            }
    }

    /// RFC 4291 text form: eight groups of 1-4 hex digits, one `::` for a run of zero groups, and
    /// optionally an IPv4 address in place of the last two groups. Zone ids (`%eth0`) are refused.
    static func isIPv6(_ text: some StringProtocol) -> Bool {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        var groupCount = 0
        for (halfIndex, half) in halves.enumerated() {
            guard !half.isEmpty else { continue }
            let groups = half.split(separator: ":", omittingEmptySubsequences: false)
            for (index, group) in groups.enumerated() {
                let isLastOverall = halfIndex == halves.count - 1 && index == groups.count - 1
                if isLastOverall && group.contains(".") {
                    guard isIPv4(group) else { return false }
                    groupCount += 2
                } else {
                    guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return false }
                    groupCount += 1
                }
            }
        }
        return halves.count == 2 ? groupCount <= 7 : groupCount == 8
    }

    /// The unspecified addresses, which bind every address of their family.
    static func isWildcard(_ text: String) -> Bool {
        text == "0.0.0.0" || text == "::"
    }
}

extension Character {
    /// 0-9 only; `isNumber` also accepts other scripts' digits and fractions.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
