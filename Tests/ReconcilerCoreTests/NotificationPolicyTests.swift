import FoundationEssentials
import ReconcilerCore
import Testing

/// Which webhook events a run raises, and the body they carry.
struct NotificationPolicyTests {
    static func outcome(_ result: RunOutcomeResult, release: Int64? = nil) -> RunOutcome {
        RunOutcome(
            trigger: "poll", finishedAt: Date(timeIntervalSince1970: 0), commit: "abc", result: result,
            release: release)
    }

    @Test(
        "events by result and previous trouble",
        arguments: [
            (outcome(.converged, release: 1), false, [NotificationEvent.deployed]),
            (outcome(.converged, release: 1), true, [.deployed, .recovered]),
            // Drift healed on the same release: no deploy.
            (outcome(.converged), false, []),
            (outcome(.converged), true, [.recovered]),
            (outcome(.inSync), false, []),
            (outcome(.inSync), true, [.recovered]),
            (outcome(.failed), false, [.failed]),
            // An agent retrying a failure with backoff does not repeat it.
            (outcome(.failed), true, []),
            (outcome(.refused), false, [.failed]),
            (outcome(.rolledBack, release: 2), false, [.rolledBack]),
            (outcome(.rolledBack, release: 2), true, [.rolledBack]),
            (outcome(.degraded), true, []),
            (outcome(.heldBack), true, []),
            (outcome(.suspended), false, []),
        ])
    func events(outcome: RunOutcome, wasTroubled: Bool, expected: [NotificationEvent]) {
        #expect(NotificationPolicy.events(for: outcome, wasTroubled: wasTroubled) == expected)
    }

    @Test("held back and suspended runs leave the trouble flag as it was")
    func troubleFlag() {
        #expect(NotificationPolicy.troubled(after: .rolledBack) == true)
        #expect(NotificationPolicy.troubled(after: .inSync) == false)
        #expect(NotificationPolicy.troubled(after: .heldBack) == nil)
        #expect(NotificationPolicy.troubled(after: .suspended) == nil)
    }

    @Test("the body is JSON with a Slack-compatible text and the structured fields, keys sorted")
    func body() throws {
        let event = WebhookEvent(
            id: "e1", event: .rolledBack, host: "web1", commit: "0123456789abcdef", result: .rolledBack,
            message: "health \"check\" failed", time: Date(timeIntervalSince1970: 0))
        let text = String(decoding: event.body(), as: UTF8.self)
        #expect(
            text
                == #"{"commit":"0123456789abcdef","event":"rolled-back","host":"web1","id":"e1","message":"health \"check\" failed","result":"rolled-back","text":"[web1] rolled back 0123456789ab: health \"check\" failed","time":"1970-01-01T00:00:00Z"}"#
        )
    }
}
