/// The few log lines quoted when a unit fails to start. The unit's own output (the
/// container runtime's error: a port taken, a program missing) must survive: systemd's
/// lines about stopping it ("Killing process 1169 (podman) with signal SIGKILL", one per
/// process) would otherwise push it out of the last ten.
public enum UnitLogExcerpt {
    /// One journal line about a unit.
    public struct Line: Sendable, Equatable {
        public var text: String
        /// Written by systemd (PID 1) about the unit, not by the unit's processes.
        public var fromManager: Bool

        public init(text: String, fromManager: Bool) {
            self.text = text
            self.fromManager = fromManager
        }
    }

    /// How many of systemd's own lines are kept: its verdict ("Failed with result", "Failed to start").
    static let managerLines = 2

    /// At most `limit` lines, oldest first: systemd's last two, the rest the unit's own last lines.
    public static func select(_ lines: [Line], limit: Int) -> [String] {
        let managerIndices = lines.indices.filter { lines[$0].fromManager }.suffix(managerLines)
        let ownIndices = lines.indices.filter { !lines[$0].fromManager }
            .suffix(max(limit - managerIndices.count, 0))
        // When the unit said little, systemd's earlier lines fill the room.
        let spare = limit - managerIndices.count - ownIndices.count
        let moreManager = lines.indices.filter { lines[$0].fromManager && !managerIndices.contains($0) }
            .suffix(max(spare, 0))
        let kept = Set(managerIndices).union(ownIndices).union(moreManager)
        return lines.indices.filter(kept.contains).map { lines[$0].text }
    }
}
