import Foundation
import ReconcilerCore
import ReconcilerEngine
import ReconcilerStore
import Testing

@testable import ReconcilerCLI

/// `reconciler status` in text: labelled lines a person reads at a glance, then one
/// aligned row per unit the reconciler owns.
struct StatusTextTests {
    static let applied = "0123456789abcdef0123456789abcdef01234567"
    static let broken = "fedcba9876543210fedcba9876543210fedcba98"
    /// 2024-05-01T10:00:00Z.
    static let morning = Date(timeIntervalSince1970: 1_714_557_600)

    static func report(_ status: HostStatus, failed: [String] = []) -> StatusReport {
        StatusReport(
            host: "web1", systemd: SystemdManagerInfo(version: "252.39-1~deb12u2", systemState: "running"),
            failedUnits: failed, status: status)
    }

    @Test func aHostThatNeverRanSaysNothingIsAppliedYet() {
        let text = StatusText.render(Self.report(HostStatus(repository: nil, summary: StoreSummary(), units: [])))
        #expect(
            text == """
                host:     web1
                systemd:  252.39-1~deb12u2, running
                failed:   none
                repo:     not configured
                applied:  nothing applied yet
                healthy:  none yet
                error:    none
                """)
    }

    @Test func theSummaryShowsShortCommitsUTCTimesAndTheWholeLastError() {
        let summary = StoreSummary(
            lastApplied: CommitMark(commit: Self.applied, at: Self.morning),
            lastHealthy: CommitMark(commit: Self.applied, at: Self.morning.addingTimeInterval(5)),
            lastError: ErrorMark(
                message: "health check of web failed:\n  connection refused", commit: Self.broken,
                at: Self.morning.addingTimeInterval(60)),
            quarantined: [
                QuarantinedCommit(commit: Self.broken, reason: "not valid", at: Self.morning.addingTimeInterval(61))
            ],
            degraded: ErrorMark(
                message: "the rollback to 0123456789ab failed", commit: Self.applied,
                at: Self.morning.addingTimeInterval(62)),
            release: ReleaseRecord(
                id: 7, commit: Self.broken, run: 3, state: .rolledBack, gatingServices: ["web"], images: [],
                addedUnits: [], startedAt: Self.morning.addingTimeInterval(30),
                updatedAt: Self.morning.addingTimeInterval(61), message: nil))
        let status = HostStatus(
            repository: RepositoryStatus(url: "https://ada:***@git.example/ops.git", branch: "main"),
            summary: summary, units: [])
        let text = StatusText.render(Self.report(status, failed: ["web.service"]))
        #expect(
            text == """
                host:     web1
                systemd:  252.39-1~deb12u2, running
                failed:   web.service
                repo:     https://ada:***@git.example/ops.git, branch main
                applied:  0123456789ab at 2024-05-01T10:00:00Z
                healthy:  0123456789ab at 2024-05-01T10:00:05Z
                error:    2024-05-01T10:01:00Z on fedcba987654: health check of web failed:
                            connection refused
                release:  7, fedcba987654 rolled-back since 2024-05-01T10:01:01Z
                degraded: 2024-05-01T10:01:02Z on 0123456789ab: the rollback to 0123456789ab failed
                quarantined: fedcba987654 since 2024-05-01T10:01:01Z: not valid
                """)
    }

    @Test func unitsAreAlignedInColumnsWithTheirContainerAndImage() {
        let units = [
            OwnedUnitStatus(
                name: "backup.timer", commit: Self.applied, writtenAt: Self.morning, loadState: "loaded",
                activeState: "active", subState: "waiting", unitFileState: "enabled", marked: true),
            OwnedUnitStatus(
                name: "web.service", commit: Self.applied, writtenAt: Self.morning, loadState: "loaded",
                activeState: "active", subState: "running", unitFileState: "enabled", marked: true,
                container: ContainerStatus(
                    name: "web", exists: true, running: true, imageID: "sha256:" + String(repeating: "ab", count: 32))),
            OwnedUnitStatus(
                name: "api.service", commit: Self.broken, writtenAt: Self.morning, loadState: "loaded",
                activeState: "failed", subState: "failed", unitFileState: "disabled", marked: false,
                container: ContainerStatus(name: "api", exists: false, running: false, image: "localhost/api:1")),
        ]
        let text = StatusText.render(Self.report(HostStatus(repository: nil, summary: StoreSummary(), units: units)))
        let table = text.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("UNIT") }
        #expect(
            Array(table) == [
                "UNIT          STATE           FILE                 CONTAINER  IMAGE         COMMIT",
                "backup.timer  active/waiting  enabled              -          -             0123456789ab",
                "web.service   active/running  enabled              running    abababababab  0123456789ab",
                "api.service   failed/failed   disabled (unmarked)  absent     -             fedcba987654",
            ])
    }

    @Test func aUnitThatCannotBeReadIsShownWithItsProblemInsteadOfFailingTheCommand() {
        let unit = OwnedUnitStatus(
            name: "web.service", commit: Self.applied, writtenAt: Self.morning, problem: "read the properties: timeout")
        let text = StatusText.render(Self.report(HostStatus(repository: nil, summary: StoreSummary(), units: [unit])))
        #expect(text.contains("web.service  unknown  -     -          -      0123456789ab"))
        #expect(text.hasSuffix("\nweb.service: read the properties: timeout"))
    }

    @Test func theRepositoryShowsTheTagOrCommitItFollows() {
        #expect(StatusText.repository(RepositoryStatus(url: "/srv/ops.git", tag: "v1.2")) == "/srv/ops.git, tag v1.2")
        #expect(
            StatusText.repository(RepositoryStatus(url: "/srv/ops.git", commit: Self.applied))
                == "/srv/ops.git, commit 0123456789ab")
    }

    @Test func jsonWritesEveryStatusKeyAndNullForWhatIsMissing() throws {
        let json = try JSONOutput.encode(Self.report(HostStatus(repository: nil, summary: StoreSummary(), units: [])))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "host", "systemd", "failedUnits", "repository", "applied", "lastHealthy", "lastError", "release",
                "degraded", "unhealthy", "quarantined", "suspended",
                "units",
                "fleet",
            ])
        #expect(object["applied"] is NSNull)
        #expect(object["lastError"] is NSNull)
    }

    @Test func jsonTimesAreISO8601InUTC() throws {
        let summary = StoreSummary(lastApplied: CommitMark(commit: Self.applied, at: Self.morning))
        let json = try JSONOutput.encode(Self.report(HostStatus(repository: nil, summary: summary, units: [])))
        #expect(json.contains(#""at" : "2024-05-01T10:00:00Z""#))
    }

    @Test func theRepositoryOfTheLastRunIsMarkedSo() {
        let recorded = RepositoryStatus(
            lastRun: RunRepository(shownURL: "https://ada:***@git.example/ops.git", reference: .tag("production")))
        let text = StatusText.render(Self.report(HostStatus(repository: recorded, summary: StoreSummary(), units: [])))
        #expect(text.contains("repo:     https://ada:***@git.example/ops.git, tag production (last run)\n"), "\(text)")
    }
}
