internal import Yams

extension ConfigurationReader {
    /// `fleet: {publish: BOOL, ring: N, promote: {after: K, soak: DURATION}}`.
    mutating func fleet(_ node: Node, at path: FieldPath) {
        var fleet = FleetConfiguration()
        defer { configuration.fleet = fleet }
        guard let fields = decoder.fields(of: node, at: path, allowed: ["publish", "ring", "promote"]) else { return }
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
