/// Go-style durations: `90s`, `5m`, `1h30m`, `500ms`, `2m30s`.
enum DurationSyntax {
    static let form = "whole numbers with units h, m, s or ms, like 90s, 5m, 1h30m or 500ms"
    static let maximum = Duration.seconds(24 * 60 * 60)

    /// Parses a duration that is positive and at most 24 hours.
    static func parse(_ text: String) -> Result<Duration, ValueProblem> {
        guard let value = milliseconds(text) else {
            return .failure(ValueProblem("'\(text)' is not a duration; expected \(form)"))
        }
        let duration = Duration.milliseconds(value)
        guard duration > .zero, duration <= maximum else {
            return .failure(ValueProblem("duration '\(text)' is out of range; expected more than 0 and at most 24h"))
        }
        return .success(duration)
    }

    /// The total in milliseconds, or nil when any part is not `<digits><unit>`.
    private static func milliseconds(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)]
        var rest = Substring(text)
        var total: Int64 = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigit)
            // Nine digits of hours already exceed the maximum; the bound keeps the sum from overflowing.
            guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += amount * scale
        }
        return total
    }
}
