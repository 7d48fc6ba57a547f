import StackCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Times as the API and the command line print them.
public enum TimeText {
    /// Docker's zero time, printed for events that never happened.
    public static let zero = "0001-01-01T00:00:00Z"

    /// Seconds since the epoch (with a fraction) now.
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// RFC 3339 in UTC with nanoseconds: `2026-11-29T08:00:00.123456789Z`; `zero` for nil.
    public static func rfc3339(_ seconds: Double?) -> String {
        guard let seconds, seconds > 0 else { return zero }
        var whole = time_t(seconds.rounded(.down))
        let nanos = Int(((seconds - Double(whole)) * 1e9).rounded())
        var parts = tm()
        gmtime_r(&whole, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let fraction = String(min(nanos, 999_999_999))
        let padded = String(repeating: "0", count: 9 - fraction.count) + fraction
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(padded)Z"
    }

    /// Docker's human duration (`docker ps` STATUS).
    public static func humanDuration(_ seconds: Double) -> String { HumanDuration.text(seconds: seconds) }
}
