import Foundation
import ReconcilerCore
import Testing

/// Golden files: each case's plan, printed as `reconciler diff` prints it, must equal
/// Fixtures/plans/<case>.txt byte for byte. Run with RECONCILER_UPDATE_GOLDEN=1 to rewrite
/// them after an intended change, then review the diff.
struct PlannerGoldenTests {
    /// Read from the source tree (not the bundled copy) so an update is seen at once.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/plans")

    @Test(arguments: PlanCase.all + PlanCase.replicaCases)
    func planReportMatchesTheGoldenFile(_ planCase: PlanCase) throws {
        let report = PlanReport.text(planCase.plan, desired: planCase.desired, observed: planCase.observed)
        let file = Self.directory.appendingPathComponent("\(planCase.name).txt")
        if ProcessInfo.processInfo.environment["RECONCILER_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try report.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(report == golden, "Fixtures/plans/\(planCase.name).txt differs")
    }

    @Test func everyGoldenFileBelongsToACase() throws {
        // Only .txt: an update run writes through temporary files in the same folder.
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
            .filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files == (PlanCase.all + PlanCase.replicaCases).map { "\($0.name).txt" }.sorted())
    }

    @Test func planRoundTripsThroughJSONForMachineOutput() throws {
        let plan = PlanCase.appChanged.plan
        let decoded = try JSONDecoder().decode(Plan.self, from: JSONEncoder().encode(plan))
        #expect(decoded == plan)
    }
}
