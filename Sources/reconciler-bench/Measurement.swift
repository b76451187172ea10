import Foundation

/// Wall and CPU time of repeated runs of one operation, children's CPU included (the
/// network helper and the git CLI are child processes; the agent's long-lived helper is
/// counted while it runs, from /proc, in whole clock ticks, hence a mean rather than a median).
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
    var meanCPU: Double { cpu.isEmpty ? 0 : cpu.reduce(0, +) / Double(cpu.count) }
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
            + liveChildrenSeconds()
    }

    /// User + system time of this process's children that are still running (not yet in
    /// RUSAGE_CHILDREN), from /proc/PID/stat.
    private static func liveChildrenSeconds() -> Double {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        // Each thread lists the children it started: cheap, unlike a walk of all of /proc.
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let children = threads.flatMap { thread in
            ((try? String(contentsOfFile: "/proc/self/task/\(thread)/children", encoding: .utf8)) ?? "")
                .split(separator: " ")
        }
        for child in children {
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After the command: state, ppid, ... utime is field 14, stime 15 (1-based).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            total += (user + system) / ticks
        }
        return total
    }
}

/// Prints measurements as a table, with each one's ratio to `baseline`.
func printTable(_ title: String, _ rows: [Measurement], baseline: String) {
    print("\n\(title)")
    let base = rows.first { $0.name == baseline }?.medianWall ?? 1
    let header = ["operation", "median ms", "p90 ms", "mean cpu ms", "vs \(baseline)"]
    let width = max(rows.map(\.name.count).max() ?? 10, header[0].count)
    print(header[0].padding(toLength: width, withPad: " ", startingAt: 0), header[1...].joined(separator: "  "))
    for row in rows {
        let ratio = String(format: "%.2fx", row.medianWall / base)
        print(
            row.name.padding(toLength: width, withPad: " ", startingAt: 0),
            String(format: "%9.2f  %6.2f  %11.2f  ", row.medianWall, row.p90Wall, row.meanCPU) + ratio)
    }
}
