import Foundation

/// Wall and CPU time of repeated runs of one operation, children's CPU included (the
/// network helper and the git CLI are child processes).
struct Measurement {
    var name: String
    var wall: [Double] = []
    var cpu: [Double] = []

    static func run(_ name: String, iterations: Int, warmup: Int = 3, _ body: () throws -> Void) rethrows -> Measurement
    {
        for _ in 0..<warmup { try body() }
        var result = Measurement(name: name)
        for _ in 0..<iterations {
            let cpuBefore = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            result.wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            result.cpu.append((cpuSeconds() - cpuBefore) * 1e3)
        }
        return result
    }

    var medianWall: Double { Self.percentile(wall, 0.5) }
    var medianCPU: Double { Self.percentile(cpu, 0.5) }
    var p90Wall: Double { Self.percentile(wall, 0.9) }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }

    /// User + system time of this process and of its waited-for children, in seconds.
    private static func cpuSeconds() -> Double {
        var own = rusage()
        var children = rusage()
        getrusage(RUSAGE_SELF.rawValue, &own)
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(own.ru_utime) + seconds(own.ru_stime) + seconds(children.ru_utime) + seconds(children.ru_stime)
    }
}

/// Prints measurements as a table, with each one's ratio to `baseline`.
func printTable(_ title: String, _ rows: [Measurement], baseline: String) {
    print("\n\(title)")
    let base = rows.first { $0.name == baseline }?.medianWall ?? 1
    let header = ["operation", "median ms", "p90 ms", "cpu ms", "vs \(baseline)"]
    let width = max(rows.map(\.name.count).max() ?? 10, header[0].count)
    print(header[0].padding(toLength: width, withPad: " ", startingAt: 0), header[1...].joined(separator: "  "))
    for row in rows {
        let ratio = String(format: "%.2fx", row.medianWall / base)
        print(
            row.name.padding(toLength: width, withPad: " ", startingAt: 0),
            String(format: "%9.2f  %6.2f  %6.2f  ", row.medianWall, row.p90Wall, row.medianCPU) + ratio)
    }
}
