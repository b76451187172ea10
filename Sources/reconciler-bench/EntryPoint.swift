import Foundation
import ReconcilerGit

/// `reconciler-bench [git] [planner] [--iterations N]`: benchmarks that print their numbers next to
/// a peer measured in the same run. Run from a release build (`make bench`).
@main
enum BenchmarkEntryPoint {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var iterations = 50
        if let index = arguments.firstIndex(of: "--iterations"), index + 1 < arguments.count,
            let value = Int(arguments[index + 1])
        {
            iterations = value
            arguments.removeSubrange(index...(index + 1))
        }
        let suites = arguments.isEmpty ? ["git"] : arguments
        for suite in suites {
            switch suite {
            case "git": try GitCheckBenchmark(iterations: iterations).run()
            case "planner": PlannerBenchmark(iterations: iterations).run()
            default:
                FileHandle.standardError.write(
                    Data("reconciler-bench: unknown benchmark '\(suite)'; known: git, planner\n".utf8))
                exit(2)
            }
        }
    }
}
