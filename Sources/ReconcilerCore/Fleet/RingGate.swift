public import FoundationEssentials

/// Why a host in a ring above 0 does not apply a commit yet.
public struct RingWait: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The commit held back.
    public var commit: String
    /// The ring whose hosts must report it healthy.
    public var ring: Int
    /// Hosts of that ring needed, and those that count already (healthy for the whole soak).
    public var needed: Int
    public var ready: [String]
    /// Hosts healthy on it but still soaking, and the earliest time one of them will count.
    public var soaking: [String]
    public var soakEnds: Date?
    /// The host of a lower ring that quarantined the commit: it will never be promoted.
    public var quarantinedBy: String?

    public init(
        commit: String, ring: Int, needed: Int, ready: [String] = [], soaking: [String] = [], soakEnds: Date? = nil,
        quarantinedBy: String? = nil
    ) {
        self.commit = commit
        self.ring = ring
        self.needed = needed
        self.ready = ready
        self.soaking = soaking
        self.soakEnds = soakEnds
        self.quarantinedBy = quarantinedBy
    }

    public var description: String {
        let short = String(commit.prefix(12))
        if let quarantinedBy {
            return
                "\(short) is quarantined on \(quarantinedBy) (ring \(ring)); it will not be applied here, a newer commit will"
        }
        var text = "\(short) waits for \(needed) healthy host\(needed == 1 ? "" : "s") of ring \(ring)"
        text += " (\(ready.count) ready"
        if !soaking.isEmpty { text += ", \(soaking.count) soaking: \(soaking.joined(separator: ", "))" }
        text += ")"
        return text
    }
}

/// Whether a commit may reach a ring: ring N+1 applies a commit only once at least K hosts
/// of ring N report it, or a descendant of it, healthy for the soak time; a commit that any
/// lower ring quarantined never gets through. Pure: the reports come from the remote's refs.
public enum RingGate {
    /// - Parameters:
    ///   - contains: whether the first commit is the second one or descends from it; nil when
    ///     that cannot be told (the commit is not in the mirror), which does not count.
    /// - Returns: nil to apply, or why to wait.
    public static func wait(
        for commit: String, ring: Int, promotion: RingPromotion, reports: [HostReport], now: Date,
        contains: (_ descendant: String, _ ancestor: String) -> Bool?
    ) -> RingWait? {
        guard ring > 0 else { return nil }
        let upstream = ring - 1
        var wait = RingWait(commit: commit, ring: upstream, needed: promotion.after, ready: [], soaking: [])
        if let stopped = reports.first(where: { ($0.ring ?? 0) < ring && $0.quarantined.contains(commit) }) {
            wait.quarantinedBy = stopped.host
            wait.ring = stopped.ring ?? 0
            return wait
        }
        for report in reports where (report.ring ?? 0) == upstream {
            guard let healthy = report.healthy, let since = report.healthySince,
                healthy == commit || contains(healthy, commit) == true
            else { continue }
            let ends = since.addingTimeInterval(promotion.soak)
            if ends <= now {
                wait.ready.append(report.host)
            } else {
                wait.soaking.append(report.host)
                wait.soakEnds = min(wait.soakEnds ?? ends, ends)
            }
        }
        return wait.ready.count >= promotion.after ? nil : wait
    }
}
