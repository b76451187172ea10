public import FoundationEssentials

/// How host reports are written as git references, so that one listing of the remote (which
/// the agent makes on every poll anyway) shows the whole fleet without fetching anything.
///
/// Under `refs/reconciler/hosts/<host>/`, every ref points at a commit of the tracked history
/// (which the server already has, so a push sends no objects), and times live in ref names:
///
///     applied                  -> the commit the host runs
///     healthy/<unix-seconds>   -> its last healthy commit, healthy since then
///     quarantined/<commit>     -> a commit it gave up on (the newest few)
///     ring/<n>                 -> (the applied commit) the host's ring
///     waiting                  -> the commit it holds back until its ring's gate opens
///     reported/<unix-seconds>  -> (the applied commit) when it last pushed a change
public enum FleetRefs {
    public static let namespace = "refs/reconciler/hosts/"
    /// Quarantined commits published per host: enough to stop the ones that matter.
    public static let quarantineLimit = 5

    /// One reference to create or move (`id`), or to delete (`id` nil).
    public struct Update: Sendable, Equatable, Codable {
        public var name: String
        public var id: String?

        public init(name: String, id: String?) {
            self.name = name
            self.id = id
        }
    }

    /// Why `name` cannot name a host in a ref, or nil when it can.
    public static func hostNameProblem(_ name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == "."
        }
        guard !name.isEmpty, name.count <= 63, allowed else {
            return
                "host name '\(name)' cannot name a git ref: use 1 to 63 letters, digits, '-', '_' or '.' (set host.name)"
        }
        if name.hasPrefix(".") || name.hasPrefix("-") || name.hasSuffix(".") || name.contains("..")
            || name.hasSuffix(".lock")
        {
            return
                "host name '\(name)' cannot name a git ref: it must not start with '.' or '-', end with '.' or '.lock', or contain '..' (set host.name)"
        }
        return nil
    }

    /// The references that publish `report`, by name; empty when it names no commit at all.
    public static func references(of report: HostReport) -> [String: String] {
        guard let anchor = report.applied ?? report.healthy ?? report.waiting ?? report.quarantined.first else {
            return [:]
        }
        let base = namespace + report.host + "/"
        var references: [String: String] = [:]
        if let applied = report.applied { references[base + "applied"] = applied }
        if let healthy = report.healthy {
            references[base + "healthy/\(seconds(report.healthySince))"] = healthy
        }
        for commit in report.quarantined.prefix(quarantineLimit) {
            references[base + "quarantined/" + commit] = commit
        }
        if let ring = report.ring { references[base + "ring/\(ring)"] = anchor }
        if let waiting = report.waiting { references[base + "waiting"] = waiting }
        if let reported = report.reported { references[base + "reported/\(seconds(reported))"] = anchor }
        return references
    }

    /// Every host's report in a listing of the remote's references; other refs are ignored.
    public static func reports(from references: [(name: String, id: String)]) -> [HostReport] {
        var reports: [String: HostReport] = [:]
        for (name, id) in references where name.hasPrefix(namespace) {
            let parts = name.dropFirst(namespace.count).split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 2, hostNameProblem(String(parts[0])) == nil else { continue }
            let host = String(parts[0])
            var report = reports[host] ?? HostReport(host: host)
            let argument = parts.count == 3 ? String(parts[2]) : nil
            switch (parts[1], argument) {
            case ("applied", nil): report.applied = id
            case ("waiting", nil): report.waiting = id
            case ("healthy", let since?):
                guard let date = date(since) else { continue }
                if report.healthySince.map({ date > $0 }) ?? true {
                    report.healthy = id
                    report.healthySince = date
                }
            case ("quarantined", let commit?): report.quarantined.append(commit)
            case ("ring", let ring?):
                guard let number = Int(ring), number >= 0 else { continue }
                report.ring = number
            case ("reported", let time?):
                guard let date = date(time) else { continue }
                if report.reported.map({ date > $0 }) ?? true { report.reported = date }
            default: continue
            }
            reports[host] = report
        }
        return reports.values.map { report in
            var report = report
            report.quarantined.sort()
            return report
        }.sorted { $0.host < $1.host }
    }

    /// The updates that publish `report` (stamped `now`) over what the remote lists for its
    /// host, or nil when the remote already shows the same state: a host pushes only after a
    /// change, and a push that failed is simply made again on a later poll.
    public static func updates(
        publishing report: HostReport, over listing: [(name: String, id: String)], now: Date
    ) -> [Update]? {
        let base = namespace + report.host + "/"
        let published = listing.filter { $0.name.hasPrefix(base) }
        var current = reports(from: published).first ?? HostReport(host: report.host)
        var wanted = report
        wanted.quarantined = Array(report.quarantined.prefix(quarantineLimit)).sorted()
        // Refs carry whole seconds: compare at that resolution, or every poll would differ.
        wanted.healthySince = wanted.healthySince.map { Date(timeIntervalSince1970: Double(seconds($0))) }
        current.quarantined.sort()
        if current.sameState(as: wanted) && current.reported != nil { return nil }
        wanted.reported = now
        let target = references(of: wanted)
        if target.isEmpty { return nil }
        let existing = Dictionary(published.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
        var updates = target.filter { existing[$0.key] != $0.value }.map { Update(name: $0.key, id: $0.value) }
        updates += existing.keys.filter { target[$0] == nil }.map { Update(name: $0, id: nil) }
        return updates.sorted { $0.name < $1.name }
    }

    private static func seconds(_ date: Date?) -> Int {
        Int((date ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970.rounded(.down))
    }

    private static func date(_ text: String) -> Date? {
        guard let seconds = Int(text), seconds >= 0 else { return nil }
        return Date(timeIntervalSince1970: Double(seconds))
    }
}
