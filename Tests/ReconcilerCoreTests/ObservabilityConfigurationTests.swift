import ReconcilerCore
import Testing

/// The `metrics:` and `notifications:` sections of config.yaml.
struct ObservabilityConfigurationTests {
    let base = HostConfiguration(hostName: "web1")

    func decode(_ text: String) throws(HostConfigurationDecoder.Failure) -> HostConfiguration {
        try HostConfigurationDecoder.decode(text, file: "config.yaml", base: base)
    }

    @Test("without the sections metrics go to node_exporter's directory if it exists, and no webhook is called")
    func defaults() throws {
        let configuration = try decode("")
        #expect(configuration.metricsTextfile == nil)
        #expect(
            configuration.metricsFile(nodeExporterDirectoryExists: true)
                == "/var/lib/prometheus/node-exporter/reconciler.prom")
        #expect(configuration.metricsFile(nodeExporterDirectoryExists: false) == nil)
        #expect(configuration.webhooks.isEmpty)
    }

    @Test("metrics can be turned off, and a configured file is used whether node_exporter is there or not")
    func metricsFileChoice() throws {
        #expect(try decode("metrics: {enabled: false}").metricsFile(nodeExporterDirectoryExists: true) == nil)
        let configured = try decode("metrics: {textfile: /srv/metrics/reconciler.prom}")
        #expect(configured.metricsFile(nodeExporterDirectoryExists: false) == "/srv/metrics/reconciler.prom")
        #expect(configured.metricsFile(nodeExporterDirectoryExists: true) == "/srv/metrics/reconciler.prom")
    }

    @Test func everySettingIsRead() throws {
        let configuration = try decode(
            """
            metrics:
              textfile: /var/lib/prometheus/node-exporter/reconciler.prom
            notifications:
              webhooks:
                - url: https://hooks.slack.com/services/T000/B000/SECRETTOKEN
                  events: [failed, rolled-back]
                  timeout: 3s
                  retries: 4
                - url: http://10.0.0.1:9000/hook
            """)
        #expect(configuration.metricsTextfile == "/var/lib/prometheus/node-exporter/reconciler.prom")
        #expect(configuration.webhooks.count == 2)
        let slack = try #require(configuration.webhooks.first)
        #expect(slack.events == [.failed, .rolledBack])
        #expect(slack.timeout == 3)
        #expect(slack.retries == 4)
        #expect(configuration.webhooks[1].events == Set(NotificationEvent.allCases))
    }

    @Test(
        "a bad setting is a specific error that never shows the webhook URL's token",
        arguments: [
            (
                "metrics: {textfile: reconciler.prom}",
                "config.yaml:1:21: error: metrics.textfile: expected an absolute path"
            ),
            (
                "metrics: {textfile: /var/lib/x/reconciler.txt}",
                "metrics.textfile: expected a file name ending in .prom"
            ),
            ("metrics: {textfle: /a.prom}", "metrics.textfle"),
            ("notifications: {webhooks: {url: http://a}}", "notifications.webhooks: expected a list of webhooks"),
            ("notifications: {webhooks: [{events: [failed]}]}", "required key 'url' is missing"),
            (
                "notifications: {webhooks: [{url: 'ftp://user:SECRETTOKEN@example.org/SECRETTOKEN'}]}",
                "notifications.webhooks[0].url: expected an http:// or https:// URL, found 'ftp://example.org/…'"
            ),
            (
                "notifications: {webhooks: [{url: http://a/SECRETTOKEN, events: [deploy]}]}",
                "notifications.webhooks[0].events: expected one of deployed, failed, rolled-back, recovered, found 'deploy'"
            ),
            (
                "notifications: {webhooks: [{url: http://a/SECRETTOKEN, retries: -1}]}",
                "expected a whole number from 0 to 100"
            ),
            (
                "notifications: {webhooks: [{url: http://a/SECRETTOKEN, timeout: soon}]}",
                "notifications.webhooks[0].timeout"
            ),
        ])
    func badSettings(text: String, message: String) {
        let failure = #expect(throws: HostConfigurationDecoder.Failure.self) { try decode(text + "\n") }
        let description = failure?.description ?? ""
        #expect(description.contains(message), "\(description)")
        #expect(!description.contains("SECRETTOKEN"), "\(description)")
    }

    @Test(
        "a webhook URL is shown only as scheme://host/…",
        arguments: [
            ("https://hooks.slack.com/services/T000/B000/SECRET", "https://hooks.slack.com/…"),
            ("http://user:SECRET@10.0.0.1:9000/hook?token=SECRET", "http://10.0.0.1:9000/…"),
            ("https://example.org?token=SECRET", "https://example.org/…"),
            ("not a url SECRET", "(webhook)"),
        ])
    func redaction(url: String, shown: String) {
        #expect(WebhookConfiguration.redact(url) == shown)
    }
}
