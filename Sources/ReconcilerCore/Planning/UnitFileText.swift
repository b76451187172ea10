/// Line-level reading of unit files on their UTF-8 bytes: the planner looks at every desired
/// file, and splitting by `Character` (grapheme breaking) cost it most of its time.
enum UnitFileText {
    typealias Line = Slice<UnsafeBufferPointer<UInt8>>

    /// The file has an `[Install]` section, so `systemctl enable` has something to do.
    static func hasInstallSection(_ contents: String) -> Bool {
        var found = false
        forEachLine(contents) { line in
            found = line.elementsEqual("[Install]".utf8)
            return !found
        }
        return found
    }

    /// The file says how the unit reloads (a non-empty `ExecReload=`), so `systemctl reload` works.
    static func declaresReload(_ contents: String) -> Bool {
        var found = false
        forEachLine(contents) { line in
            found = line.starts(with: "ExecReload=".utf8) && line.count > "ExecReload=".utf8.count
            return !found
        }
        return found
    }

    /// The units named by `After=` lines of the `[Unit]` section.
    static func orderingDependencies(_ contents: String) -> [String] {
        var inUnitSection = false
        var names: [String] = []
        forEachLine(contents) { line in
            if line.first == UInt8(ascii: "[") {
                inUnitSection = line.elementsEqual("[Unit]".utf8)
            } else if inUnitSection, line.starts(with: "After=".utf8) {
                let values = line.dropFirst("After=".utf8.count)
                names += values.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
            }
            return true
        }
        return names
    }

    /// Calls `body` with each line, without its newline and surrounding blanks as systemd reads
    /// it, until `body` returns false.
    private static func forEachLine(_ contents: String, _ body: (Line) -> Bool) {
        var contents = contents
        // Native strings are contiguous UTF-8 already; this only copies bridged ones.
        contents.makeContiguousUTF8()
        contents.utf8.withContiguousStorageIfAvailable { bytes in
            var start = bytes.startIndex
            while start < bytes.endIndex {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
                if !body(trimmed(bytes[start..<end])) { return }
                start = end + 1
            }
        }
    }

    private static func trimmed(_ line: Line) -> Line {
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        var line = line
        while let first = line.first, blank(first) { line = line.dropFirst() }
        while let last = line.last, blank(last) { line = line.dropLast() }
        return line
    }
}
