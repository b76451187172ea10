import ReconcilerCore
import Testing

/// Expected texts are what GNU `diff -u --label old --label new` printed for the same inputs.
struct UnifiedDiffTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var context = 3
        /// The hunks, after the `--- old` and `+++ new` lines.
        var hunks: String

        var testDescription: String { name }
    }

    /// The numbers 1...count one per line, some replaced by words.
    static func numbers(_ count: Int, _ words: [Int: String] = [:]) -> String {
        (1...count).map { words[$0] ?? String($0) }.joined(separator: "\n") + "\n"
    }

    static let cases: [Case] = [
        Case(
            name: "one changed line shows three lines of context",
            old: numbers(10), new: numbers(10, [5: "five"]),
            hunks: "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"),
        Case(
            name: "changes six lines apart share one hunk",
            old: numbers(20), new: numbers(20, [4: "four", 11: "eleven"]),
            hunks: "@@ -1,14 +1,14 @@\n 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n 8\n 9\n 10\n-11\n+eleven\n 12\n 13\n 14\n"),
        Case(
            name: "changes seven lines apart get two hunks",
            old: numbers(20), new: numbers(20, [4: "four", 12: "twelve"]),
            hunks: "@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n"
                + "@@ -9,7 +9,7 @@\n 9\n 10\n 11\n-12\n+twelve\n 13\n 14\n 15\n"),
        Case(
            name: "lines removed at the start and added at the end",
            old: "one\ntwo\nthree\nfour\n", new: "three\nfour\nfive\nsix\n",
            hunks: "@@ -1,4 +1,4 @@\n-one\n-two\n three\n four\n+five\n+six\n"),
        Case(
            name: "a moved line is deleted and inserted",
            old: "a\nb\nc\nd\ne\nf\n", new: "a\nc\nd\nb\ne\nf\n",
            hunks: "@@ -1,6 +1,6 @@\n a\n-b\n c\n d\n+b\n e\n f\n"),
        Case(
            name: "an insertion without context names the line before it",
            old: "a\nb\nc\n", new: "a\nb\nx\nc\n", context: 0,
            hunks: "@@ -2,0 +3 @@\n+x\n"),
        Case(
            name: "hunks two lines apart merge with one line of context",
            old: "p\nq\nr\ns\n", new: "P\nq\nr\nS\n", context: 1,
            hunks: "@@ -1,4 +1,4 @@\n-p\n+P\n q\n r\n-s\n+S\n"),
        Case(
            name: "a lost final newline is marked",
            old: "x\ny\n", new: "x\ny",
            hunks: "@@ -1,2 +1,2 @@\n x\n-y\n+y\n\\ No newline at end of file\n"),
        Case(
            name: "a missing final newline on the old side is marked",
            old: "x\ny", new: "x\nz\n",
            hunks: "@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n"),
        Case(name: "a new file", old: "", new: "a\nb\n", hunks: "@@ -0,0 +1,2 @@\n+a\n+b\n"),
        Case(name: "an emptied file", old: "a\nb\n", new: "", hunks: "@@ -1,2 +0,0 @@\n-a\n-b\n"),
        Case(name: "one line replaced", old: "a\n", new: "b\n", hunks: "@@ -1 +1 @@\n-a\n+b\n"),
    ]

    @Test(arguments: cases)
    func diffMatchesWhatDiffDashUPrints(_ diffCase: Case) {
        let diff = UnifiedDiff.lines(
            old: diffCase.old, new: diffCase.new, oldLabel: "old", newLabel: "new", context: diffCase.context)
        #expect(diff == "--- old\n+++ new\n" + diffCase.hunks)
    }

    @Test func equalTextsHaveNoDiff() {
        for text in ["", "a\n", "a\nb", Self.numbers(100)] {
            #expect(UnifiedDiff.lines(old: text, new: text, oldLabel: "old", newLabel: "new") == "")
        }
    }

    /// Many small texts over a three-letter alphabet, so lines repeat and alignments compete.
    @Test func theDiffKeepsALongestCommonSubsequence() {
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<300 {
            let old = (0..<next(25)).map { _ in ["a", "b", "c"][next(3)] }
            let new = (0..<next(25)).map { _ in ["a", "b", "c"][next(3)] }
            let diff = UnifiedDiff.lines(
                old: old.map { $0 + "\n" }.joined(), new: new.map { $0 + "\n" }.joined(), oldLabel: "old",
                newLabel: "new", context: 0)
            let deleted = diff.split(separator: "\n").dropFirst(2).count { $0.hasPrefix("-") }
            #expect(deleted == old.count - Self.longestCommonSubsequence(old, new), "\(old) -> \(new)")
        }
    }

    /// The textbook dynamic programme, for checking the Myers search.
    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var current = [0]
            for (j, y) in b.enumerated() {
                current.append(x == y ? previous[j] + 1 : max(previous[j + 1], current[j]))
            }
            previous = current
        }
        return previous[b.count]
    }

    @Test func everyLineOfADiffAppliedInOrderRebuildsTheNewText() {
        let old = Self.numbers(60, [3: "c", 17: "q", 18: "r", 40: "forty"])
        let new = Self.numbers(64, [1: "first", 18: "r", 19: "s", 41: "x", 42: "y", 60: "sixty"])
        let diff = UnifiedDiff.lines(old: old, new: new, oldLabel: "old", newLabel: "new", context: 1000)
        let body = diff.split(separator: "\n").dropFirst(3)
        #expect(body.filter { !$0.hasPrefix("-") }.map { $0.dropFirst() }.joined(separator: "\n") + "\n" == new)
        #expect(body.filter { !$0.hasPrefix("+") }.map { $0.dropFirst() }.joined(separator: "\n") + "\n" == old)
    }
}
