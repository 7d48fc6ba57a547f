import Foundation

/// Times as the engine writes them (RFC 3339 in UTC with up to nanoseconds:
/// `2026-11-29T14:05:01.123456789Z`).
enum ContainerTime {
    /// Seconds since the epoch, or nil for text that is not such a time (or Docker's zero time).
    static func parse(_ text: String) -> Double? {
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, text.hasSuffix("Z") else { return nil }
        let date = parts[0].split(separator: "-").compactMap { Int32($0) }
        let clock = parts[1].dropLast()
        let whole = clock.split(separator: ".", maxSplits: 1)
        let hms = whole[0].split(separator: ":").compactMap { Int32($0) }
        guard date.count == 3, hms.count == 3, date[0] > 1 else { return nil }
        var fields = tm()
        fields.tm_year = date[0] - 1900
        fields.tm_mon = date[1] - 1
        fields.tm_mday = date[2]
        fields.tm_hour = hms[0]
        fields.tm_min = hms[1]
        fields.tm_sec = hms[2]
        let seconds = Double(timegm(&fields))
        let fraction = whole.count == 2 ? Double("0." + whole[1]) ?? 0 : 0
        return seconds + fraction
    }
}
