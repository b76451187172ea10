internal import CSystemd
internal import Glibc

/// Reads the system journal with sd-journal: the lines a unit logged, so an error can say why
/// the unit failed instead of sending the reader to `journalctl`.
///
/// Owns its `sd_journal` handle; not `Sendable`, and used only for the duration of one call.
final class SystemdJournal {
    private let handle: OpaquePointer

    private init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sd_journal_close(handle)
    }

    /// Opens this machine's system journal (not other users', not remote ones).
    static func openSystem() throws(SystemdError) -> SystemdJournal {
        var handle: OpaquePointer?
        try check("open the system journal") {
            sd_journal_open(&handle, Int32(SD_JOURNAL_LOCAL_ONLY) | Int32(SD_JOURNAL_SYSTEM))
        }
        guard let handle else {
            throw SystemdError(operation: "open the system journal", errno: EIO, message: "no handle returned")
        }
        return SystemdJournal(owning: handle)
    }

    /// The `MESSAGE`s of `unit` logged at or after `since` (µs since the epoch, CLOCK_REALTIME),
    /// oldest first: its processes' output and systemd's own lines about it, as `journalctl -u`.
    func messages(of unit: String, since: UInt64) throws(SystemdError) -> [String] {
        try entries(of: unit, since: since).map(\.text)
    }

    /// The same, each line marked with whether systemd (PID 1) wrote it about the unit.
    func entries(of unit: String, since: UInt64) throws(SystemdError) -> [UnitLogExcerpt.Line] {
        sd_journal_flush_matches(handle)
        // (_SYSTEMD_UNIT=unit) OR (UNIT=unit AND _PID=1): the second is PID 1's "Failed with
        // result" and "Main process exited" lines.
        try check("filter the journal") { sd_journal_add_match(handle, "_SYSTEMD_UNIT=\(unit)", 0) }
        try check("filter the journal") { sd_journal_add_disjunction(handle) }
        try check("filter the journal") { sd_journal_add_match(handle, "UNIT=\(unit)", 0) }
        try check("filter the journal") { sd_journal_add_match(handle, "_PID=1", 0) }
        try check("seek in the journal") { sd_journal_seek_realtime_usec(handle, since) }
        var lines: [UnitLogExcerpt.Line] = []
        while try check("read the journal", { sd_journal_next(handle) }) > 0 {
            // podman's own event records ("container create ...") also land under the unit;
            // they would crowd out its error message, and `podman events` has them.
            guard let message = field("MESSAGE"), field("PODMAN_EVENT") == nil else { continue }
            lines.append(UnitLogExcerpt.Line(text: message, fromManager: field("_PID") == "1"))
        }
        return lines
    }

    /// The value of a field of the current entry, nil when it has none.
    private func field(_ name: String) -> String? {
        var data: UnsafeRawPointer?
        var length = 0
        guard sd_journal_get_data(handle, name, &data, &length) >= 0, let data else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        return String(text.dropFirst(name.count + 1))
    }

    /// The last `limit` lines `unit` logged since `since`, best effort: journald writes a
    /// unit's output asynchronously, so this waits up to about a second for the lines to
    /// stop coming; an unreadable journal gives no lines rather than hiding the real error.
    static func lastMessages(of unit: String, since: UInt64, limit: Int = 10) -> [String] {
        var lines: [UnitLogExcerpt.Line] = []
        for _ in 0..<8 {
            // Reopened each time: a fresh handle sees entries written since the last one.
            guard let journal = try? openSystem(), let now = try? journal.entries(of: unit, since: since) else {
                return UnitLogExcerpt.select(lines, limit: limit)
            }
            if !now.isEmpty && now.count == lines.count { break }
            lines = now
            usleep(150_000)
        }
        return UnitLogExcerpt.select(lines, limit: limit)
    }

    /// Now, in µs since the epoch, the clock the journal's realtime timestamps use.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1000
    }
}
