internal import Yams

extension ConfigurationReader {
    /// `metrics: {textfile: PATH, enabled: BOOL}`: where the Prometheus text file is written
    /// after each run, or that none is.
    mutating func metrics(_ node: Node, at path: FieldPath) {
        guard let fields = decoder.fields(of: node, at: path, allowed: ["textfile", "enabled"]) else { return }
        if let enabled = fields["enabled"], let value = decoder.bool(enabled, at: path.key("enabled")) {
            configuration.metricsEnabled = value
        }
        if let file = fields["textfile"], let text = absolutePath(file, at: path.key("textfile")) {
            guard text.hasSuffix(".prom") else {
                decoder.error(
                    at: file, path.key("textfile"),
                    "expected a file name ending in .prom (node_exporter reads only those), found '\(text)'")
                return
            }
            configuration.metricsTextfile = text
        }
    }

    /// `notifications: {webhooks: [{url, events, timeout, retries}]}`.
    mutating func notifications(_ node: Node, at path: FieldPath) {
        guard let fields = decoder.fields(of: node, at: path, allowed: ["webhooks"]) else { return }
        guard let list = fields["webhooks"] else { return }
        guard case .sequence(let items) = list else {
            decoder.error(at: list, path.key("webhooks"), "expected a list of webhooks, found \(decoder.kind(list))")
            return
        }
        var webhooks: [WebhookConfiguration] = []
        for (index, item) in items.enumerated() {
            if let webhook = webhook(item, at: path.key("webhooks").index(index)) { webhooks.append(webhook) }
        }
        configuration.webhooks = webhooks
    }

    private mutating func webhook(_ node: Node, at path: FieldPath) -> WebhookConfiguration? {
        let allowed = ["url", "events", "timeout", "retries"]
        guard let fields = decoder.fields(of: node, at: path, allowed: allowed) else { return nil }
        guard let urlNode = decoder.required("url", in: fields, at: path, hint: " (the receiver's http:// URL)"),
            let url = decoder.string(urlNode, at: path.key("url"))
        else { return nil }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            // The URL may hold a token: the error shows only its redacted form.
            decoder.error(
                at: urlNode, path.key("url"),
                "expected an http:// or https:// URL, found '\(WebhookConfiguration.redact(url))'")
            return nil
        }
        var webhook = WebhookConfiguration(url: url)
        if let node = fields["events"], let names = decoder.strings(node, at: path.key("events")) {
            var events: Set<NotificationEvent> = []
            for name in names {
                if let event = NotificationEvent(rawValue: name.value) {
                    events.insert(event)
                } else {
                    let all = NotificationEvent.allCases.map(\.rawValue)
                    decoder.error(
                        at: node, path.key("events"),
                        "expected one of \(all.joined(separator: ", ")), found '\(name.value)'")
                }
            }
            webhook.events = events
        }
        if let node = fields["timeout"], let value = seconds(node, at: path.key("timeout")) {
            webhook.timeout = value
        }
        if let node = fields["retries"], let text = decoder.string(node, at: path.key("retries")) {
            if let value = Int(text), (0...100).contains(value) {
                webhook.retries = value
            } else {
                decoder.error(at: node, path.key("retries"), "expected a whole number from 0 to 100, found '\(text)'")
            }
        }
        return webhook
    }
}
