import Glibc
import Logging
import ReconcilerSystemd

/// Chooses and installs the process's log handler, once.
enum LogBootstrap {
    static func bootstrap(target: LogTarget, level: Logger.Level) {
        let useJournal: Bool
        switch target {
        case .journal: useJournal = true
        case .stderr: useJournal = false
        case .auto: useJournal = stderrIsJournal()
        }
        LoggingSystem.bootstrap { label in
            if useJournal {
                var handler = JournaldLogHandler(identifier: "reconciler")
                handler.logLevel = level
                return StoryLogHandler(inner: handler)
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return StoryLogHandler(inner: handler)
        }
    }

    /// systemd sets JOURNAL_STREAM=DEVICE:INODE for a service whose stderr goes to the
    /// journal; a match with stderr's own device and inode means we run under systemd and
    /// can send structured entries instead of plain lines (sd_journal_stream_fd(3)).
    static func stderrIsJournal() -> Bool {
        guard let value = getenv("JOURNAL_STREAM").map({ String(cString: $0) }) else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}
