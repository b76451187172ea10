import ReconcilerCore
import ReconcilerEngine
import ReconcilerTesting
import Testing

/// Every stage a run can fail at: the error names the stage, says what to do, is recorded
/// when the store is open, and leaves the host as it was.
struct ErrorStageTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var stage: ReconcileError.Stage
        var message: String
        /// Breaks the fixture before the run.
        var arrange: @Sendable (EngineFixture) -> Void
        var testDescription: String { "\(stage.rawValue)" }
    }

    static let cases: [Case] = [
        Case(stage: .configuration, message: "no repository") { engine in
            engine.configuration.repository.url = nil
        },
        Case(stage: .lock, message: "another run holds the lock (pid 4242)") { engine in
            engine.lock.holdElsewhere(pid: 4242)
        },
        Case(stage: .store, message: "cannot open the state store") { engine in
            engine.storeFailure = FakeHostFailure("disk I/O error")
        },
        Case(stage: .source, message: "connection refused") { engine in
            engine.repository.failUpdates(with: FakeHostFailure("git://git.example.org: connection refused"))
        },
        Case(stage: .validation, message: "desired-state/blog.yaml:6:") { engine in
            var files = DesiredFiles.blog()
            files["desired-state/blog.yaml"] = files["desired-state/blog.yaml"]?
                .replacing("8080:8080", with: "80800:8080")
            engine.repository.commit(files)
        },
        Case(stage: .refused, message: "blog.service") { engine in
            engine.host.installForeignUnit("blog.service")
        },
        Case(stage: .verification, message: "Unknown key") { engine in
            engine.host.setVerifierProblems([
                UnitProblem(unit: "cleanup.timer", line: 2, severity: .error, message: "Unknown key 'OnCalendr'")
            ])
        },
        Case(stage: .observe, message: "cannot read the state of blog.service") { engine in
            engine.host.failObservation(of: "blog.service")
        },
        Case(stage: .apply, message: "build image") { engine in
            engine.host.failBuilds(of: "blog")
        },
        Case(stage: .health, message: "did not pass") { engine in
            engine.health.fail(.http(url: "http://127.0.0.1:8080/"))
        },
    ]

    @Test(arguments: cases)
    func aFailedRunNamesItsStageAndIsRecorded(_ failure: Case) throws {
        let engine = EngineFixture()
        // The validation case commits its own, invalid, desired state.
        if failure.stage != .validation { engine.repository.commit(DesiredFiles.blog()) }
        failure.arrange(engine)

        let error = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(error?.stage == failure.stage)
        #expect(error?.message.contains(failure.message) == true, "\(error?.message ?? "")")
        if failure.stage != .store && failure.stage != .lock {
            // On record for `status`. A held lock is another run's business, not an error of the host.
            #expect(try engine.store.summary().lastError?.message == error?.message)
        }
        if [.configuration, .lock, .store, .source, .validation, .refused, .verification, .observe].contains(
            failure.stage)
        {
            #expect(engine.host.operations.isEmpty, "nothing was changed before the failure")
        }
        #expect(!engine.lock.isHeld, "the lock is released")
    }

    @Test func aBuildFailureChangesNoUnitFile() throws {
        let engine = EngineFixture()
        engine.repository.commit(DesiredFiles.blog(version: "1"))
        try engine.once()
        let before = engine.host.files
        engine.host.failBuilds(of: "blog")
        engine.repository.commit(DesiredFiles.blog(version: "2"))

        _ = #expect(throws: ReconcileError.self) { try engine.once() }

        #expect(engine.host.files == before)
        #expect(engine.host.isActive("blog.service"))
    }
}
