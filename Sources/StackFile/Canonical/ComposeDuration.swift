import StackCore

/// Durations as Compose reads them: Go's syntax (`1m30s`, `500ms`) plus the day and week units
/// that Compose's parser also accepts (`1d` = 24h, `1w` = 7d).
enum ComposeDuration {
    /// Parses `text` into nanoseconds; nil when it is not a valid duration.
    static func parse(_ text: String) -> Int64? {
        if let value = GoDuration.parse(text) { return value }
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { return nil }
        var total: Double = 0
        var sawDayOrWeek = false
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, number != ".", let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix(while: { !($0.isASCII && ($0.isNumber || $0 == ".")) })
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "d":
                total += value * 86_400_000_000_000
                sawDayOrWeek = true
            case "w":
                total += value * 604_800_000_000_000
                sawDayOrWeek = true
            default:
                guard let part = GoDuration.parse(String(number) + unit) else { return nil }
                total += Double(part)
            }
        }
        guard sawDayOrWeek, total < 9.2e18 else { return nil }
        let nanoseconds = Int64(total.rounded())
        return negative ? -nanoseconds : nanoseconds
    }
}
