import Testing

@testable import ReconcilerSystemd

/// A unit that did not start is reported with what it logged, once, under the one-line error.
struct SystemdErrorTests {
    @Test("A failed start quotes the unit's last log lines, indented under the error")
    func aFailedStartQuotesItsLog() {
        var error = SystemdError(
            operation: "start blog.service", errno: 5,
            message: "the unit did not start: it is failed (failed), result exit-code",
            hint: "see journalctl -u blog.service")
        error.log = ["cannot open /data/flaskr.sqlite", "blog.service: Failed with result 'exit-code'."]
        #expect(
            error.description == """
                start blog.service: the unit did not start: it is failed (failed), result exit-code; \
                see journalctl -u blog.service
                its last log lines:
                  cannot open /data/flaskr.sqlite
                  blog.service: Failed with result 'exit-code'.
                """)
    }

    @Test("Without log lines the error stays on one line")
    func withoutLogOneLine() {
        let error = SystemdError(operation: "stop a.service", errno: 5, message: "timeout", hint: "retry")
        #expect(error.description == "stop a.service: timeout; retry")
    }
}
