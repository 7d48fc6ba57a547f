/// Durations as Compose writes them: Go's `time.ParseDuration` syntax (`1m30s`, `500ms`, `1.5h`)
/// and Go's canonical rendering (`1m30s`, `0s`, `1.5s`), so `stack config` prints what
/// `docker compose config` prints.
public enum GoDuration {
    /// Parses `text` into nanoseconds; nil when it is not a valid duration. With `daysAndWeeks`,
    /// also the `d` (24h) and `w` (7d) units that Compose's parser accepts on top of Go's.
    public static func parse(_ text: String, daysAndWeeks: Bool = false) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, number != ".", let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix(while: { !($0.isASCII && ($0.isNumber || $0 == ".")) })
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1_000
            case "ms": scale = 1_000_000
            case "s": scale = 1_000_000_000
            case "m": scale = 60_000_000_000
            case "h": scale = 3_600_000_000_000
            case "d" where daysAndWeeks: scale = 86_400_000_000_000
            case "w" where daysAndWeeks: scale = 604_800_000_000_000
            default: return nil
            }
            total += value * scale
        }
        guard total < 9.2e18 else { return nil }
        let nanos = Int64(total.rounded())
        return negative ? -nanos : nanos
    }

    /// Renders nanoseconds as Go's `Duration.String()` does.
    public static func format(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            if magnitude < 1_000 {
                text = "\(magnitude)ns"
            } else if magnitude < 1_000_000 {
                text = fraction(magnitude, unit: 1_000) + "µs"
            } else {
                text = fraction(magnitude, unit: 1_000_000) + "ms"
            }
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = (magnitude / 60_000_000_000) % 60
            let secondsPart = magnitude % 60_000_000_000
            text = ""
            if hours > 0 { text += "\(hours)h" }
            if hours > 0 || minutes > 0 { text += "\(minutes)m" }
            text += fraction(secondsPart, unit: 1_000_000_000) + "s"
        }
        return negative ? "-" + text : text
    }

    /// `value / unit` with the fractional part, trailing zeros trimmed.
    private static func fraction(_ value: UInt64, unit: UInt64) -> String {
        let whole = value / unit
        var remainder = value % unit
        guard remainder > 0 else { return "\(whole)" }
        var digits = ""
        var scale = unit / 10
        while scale > 0 {
            digits += "\(remainder / scale)"
            remainder %= scale
            scale /= 10
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
