internal import Yams

extension ConfigurationReader {
    /// `fleet: {publish: BOOL, ring: N, promote: {after: K, soak: DURATION}, reports: {url: URL, credentials: {...}}}`.
    mutating func fleet(_ node: Node, at path: FieldPath) {
        var fleet = FleetConfiguration()
        defer { configuration.fleet = fleet }
        guard let fields = decoder.fields(of: node, at: path, allowed: ["publish", "ring", "promote", "reports"])
        else { return }
        if let reports = fields["reports"] { fleet.reports = self.reports(reports, at: path.key("reports")) }
        if let publish = fields["publish"], let value = decoder.bool(publish, at: path.key("publish")) {
            fleet.publish = value
        }
        if let ring = fields["ring"], let value = number(ring, at: path.key("ring"), range: 0...99) {
            fleet.ring = value
        }
        if let promote = fields["promote"] {
            let promotePath = path.key("promote")
            guard let options = decoder.fields(of: promote, at: promotePath, allowed: ["after", "soak"]) else {
                return
            }
            if let after = options["after"], let value = number(after, at: promotePath.key("after"), range: 1...10000) {
                fleet.promote.after = value
            }
            if let soak = options["soak"], let value = seconds(soak, at: promotePath.key("soak")) {
                fleet.promote.soak = value
            }
        }
    }

    /// `reports: {url: URL, credentials: {...}}`; credentials default to the repository's.
    private mutating func reports(_ node: Node, at path: FieldPath) -> FleetReportsRepository? {
        guard let fields = decoder.fields(of: node, at: path, allowed: ["url", "credentials"]) else { return nil }
        guard let urlNode = fields["url"] else {
            decoder.error(at: node, path.key("url"), "expected the URL of the repository the reports go to")
            return nil
        }
        guard let url = decoder.string(urlNode, at: path.key("url")) else { return nil }
        if url.isEmpty || url.contains(" ") {
            decoder.error(at: urlNode, path.key("url"), "expected a repository path or URL without spaces")
            return nil
        }
        var reports = FleetReportsRepository(url: url)
        if let node = fields["credentials"] {
            var credentials = GitCredentials()
            self.credentials(node, at: path.key("credentials"), into: &credentials)
            reports.credentials = credentials
        }
        return reports
    }

    /// A whole number in `range`.
    private mutating func number(_ node: Node, at path: FieldPath, range: ClosedRange<Int>) -> Int? {
        guard let text = decoder.string(node, at: path, expected: "a whole number") else { return nil }
        guard let value = Int(text), range.contains(value) else {
            decoder.error(
                at: node, path,
                "expected a whole number from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
            return nil
        }
        return value
    }
}
