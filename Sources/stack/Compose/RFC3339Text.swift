#if canImport(Glibc)
import Glibc
#endif

/// Times as stackd writes them (`2026-11-29T08:00:00.123456789Z`: UTC, always nine fraction
/// digits), so that two of them compare as strings in time order.
enum RFC3339Text {
    /// `nanoseconds` since the epoch.
    static func format(nanoseconds: Int64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        let fraction = Int(nanoseconds % 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(fraction, 9))Z"
    }

    /// `seconds` since the epoch.
    static func format(seconds: Double) -> String { format(nanoseconds: Int64(seconds * 1e9)) }

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
