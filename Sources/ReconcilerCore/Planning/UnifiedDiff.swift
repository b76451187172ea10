/// A line diff in the unified format of `diff -u`, for showing how a unit file on the host
/// differs from the one a commit renders. Myers' O(ND) algorithm, the one git uses.
public enum UnifiedDiff {
    /// The unified diff turning `old` into `new`, with `context` unchanged lines around each
    /// change; empty when the texts are equal. Hunks closer than twice the context merge, and a
    /// last line without a newline is marked as diff(1) marks it.
    public static func lines(old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        let oldLines = Line.split(old)
        let newLines = Line.split(new)
        let edits = script(oldLines, newLines)
        guard edits.contains(where: { $0 != .equal }) else { return "" }
        var output = "--- \(oldLabel)\n+++ \(newLabel)\n"
        for hunk in hunks(edits, context: max(0, context)) {
            output += render(hunk, edits: edits, old: oldLines, new: newLines)
        }
        return output
    }

    /// One line with whether a newline ends it: `a` and `a\n` differ, as they do for diff(1).
    struct Line: Hashable {
        var text: Substring
        var terminated: Bool

        static func split(_ text: String) -> [Line] {
            var pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
            // A final newline ends the last line rather than starting an empty one.
            if pieces.last?.isEmpty == true { pieces.removeLast() }
            let endsInNewline = text.hasSuffix("\n")
            return pieces.enumerated().map { index, piece in
                Line(text: piece, terminated: index < pieces.count - 1 || endsInNewline)
            }
        }
    }

    enum Edit: Equatable {
        case equal
        case delete
        case insert
    }

    /// The shortest edit script, deletions before insertions within each change.
    static func script(_ old: [Line], _ new: [Line]) -> [Edit] {
        // Lines become integers so the inner loop compares words, not strings.
        var numbers: [Line: Int] = [:]
        for line in old + new where numbers[line] == nil { numbers[line] = numbers.count }
        let a = old.compactMap { numbers[$0] }
        let b = new.compactMap { numbers[$0] }

        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
            a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
        {
            suffix += 1
        }
        let middle = myers(Array(a[prefix..<(a.count - suffix)]), Array(b[prefix..<(b.count - suffix)]))
        return Array(repeating: .equal, count: prefix) + grouped(middle) + Array(repeating: .equal, count: suffix)
    }

    /// Myers' greedy forward search, keeping each round's furthest points to walk back the path.
    private static func myers(_ a: [Int], _ b: [Int]) -> [Edit] {
        let n = a.count
        let m = b.count
        if n == 0 || m == 0 { return Array(repeating: .delete, count: n) + Array(repeating: .insert, count: m) }
        let offset = n + m + 1
        var furthest = [Int](repeating: 0, count: 2 * offset + 1)
        var trace: [[Int]] = []
        search: for d in 0...(n + m) {
            trace.append(Array(furthest[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x =
                    k == -d || (k != d && furthest[offset + k - 1] < furthest[offset + k + 1])
                    ? furthest[offset + k + 1] : furthest[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                furthest[offset + k] = x
                if x >= n, y >= m { break search }
            }
        }
        var edits: [Edit] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            // trace[d] holds diagonals -d-1 ... d+1 as they were before round d.
            let before = { (k: Int) in trace[d][k + d + 1] }
            let k = x - y
            let previousK = k == -d || (k != d && before(k - 1) < before(k + 1)) ? k + 1 : k - 1
            let previousX = before(previousK)
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                edits.append(.equal)
                x -= 1
                y -= 1
            }
            if d > 0 { edits.append(x == previousX ? .insert : .delete) }
            x = previousX
            y = previousY
        }
        return edits.reversed()
    }

    /// Within each run of changes, all deletions first, as diff(1) prints them.
    private static func grouped(_ edits: [Edit]) -> [Edit] {
        var result: [Edit] = []
        result.reserveCapacity(edits.count)
        var deletions = 0
        var insertions = 0
        func flush() {
            result += Array(repeating: .delete, count: deletions) + Array(repeating: .insert, count: insertions)
            deletions = 0
            insertions = 0
        }
        for edit in edits {
            switch edit {
            case .delete: deletions += 1
            case .insert: insertions += 1
            case .equal:
                flush()
                result.append(.equal)
            }
        }
        flush()
        return result
    }

    /// Ranges of the edit script shown as hunks: changes with their context, merged when the
    /// unchanged lines between them are at most twice the context.
    static func hunks(_ edits: [Edit], context: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var index = 0
        while index < edits.count {
            guard edits[index] != .equal else {
                index += 1
                continue
            }
            var end = index
            while end < edits.count, edits[end] != .equal { end += 1 }
            let lower = max(0, index - context)
            let upper = min(edits.count, end + context)
            if let last = result.last, lower <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<upper
            } else {
                result.append(lower..<upper)
            }
            index = end
        }
        return result
    }

    private static func render(_ hunk: Range<Int>, edits: [Edit], old: [Line], new: [Line]) -> String {
        // Line numbers where the hunk starts: the lines before it in each file.
        let oldStart = edits[..<hunk.lowerBound].count(where: { $0 != .insert })
        let newStart = edits[..<hunk.lowerBound].count(where: { $0 != .delete })
        let oldCount = edits[hunk].count(where: { $0 != .insert })
        let newCount = edits[hunk].count(where: { $0 != .delete })
        var output = "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
        var oldIndex = oldStart
        var newIndex = newStart
        for edit in edits[hunk] {
            let line: Line
            switch edit {
            case .equal:
                line = old[oldIndex]
                output += " "
                oldIndex += 1
                newIndex += 1
            case .delete:
                line = old[oldIndex]
                output += "-"
                oldIndex += 1
            case .insert:
                line = new[newIndex]
                output += "+"
                newIndex += 1
            }
            output += line.text + "\n"
            if !line.terminated { output += "\\ No newline at end of file\n" }
        }
        return output
    }

    /// `start,count` as diff(1) writes it: an empty range names the line before it, one line
    /// is written without its count.
    private static func range(_ before: Int, _ count: Int) -> String {
        switch count {
        case 0: "\(before),0"
        case 1: "\(before + 1)"
        default: "\(before + 1),\(count)"
        }
    }
}
