import StackCore

/// Signal names and numbers as `kill` accepts them: `KILL`, `SIGKILL`, `9`, `sigterm`.
public enum SignalName {
    static let table: [(String, Int32)] = [
        ("HUP", 1), ("INT", 2), ("QUIT", 3), ("ILL", 4), ("TRAP", 5), ("ABRT", 6), ("IOT", 6), ("BUS", 7),
        ("FPE", 8), ("KILL", 9), ("USR1", 10), ("SEGV", 11), ("USR2", 12), ("PIPE", 13), ("ALRM", 14),
        ("TERM", 15), ("STKFLT", 16), ("CHLD", 17), ("CONT", 18), ("STOP", 19), ("TSTP", 20), ("TTIN", 21),
        ("TTOU", 22), ("URG", 23), ("XCPU", 24), ("XFSZ", 25), ("VTALRM", 26), ("PROF", 27), ("WINCH", 28),
        ("IO", 29), ("POLL", 29), ("PWR", 30), ("SYS", 31),
    ]

    /// The signal number for `text`; an unknown name or out-of-range number is an error.
    public static func parse(_ text: String) throws(StackError) -> Int32 {
        if let number = Int32(text) {
            guard (1...64).contains(number) else { throw StackError(.invalidArgument, "invalid signal: \(text)") }
            return number
        }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let entry = table.first(where: { $0.0 == name }) { return entry.1 }
        if name.hasPrefix("RTMIN") || name.hasPrefix("RTMAX") {
            let base: Int32 = name.hasPrefix("RTMIN") ? 34 : 64
            let rest = name.dropFirst(5)
            if rest.isEmpty { return base }
            if let offset = Int32(rest), (-30...30).contains(offset), (34...64).contains(base + offset) {
                return base + offset
            }
        }
        throw StackError(.invalidArgument, "unknown signal \"\(text)\"")
    }
}
