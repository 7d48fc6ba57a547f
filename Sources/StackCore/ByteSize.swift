/// Byte sizes as Compose and Docker accept them: an integer number of bytes, or a number with a
/// binary unit (`b`, `k`/`kb`/`kib`, `m`, `g`, `t`, `p`; any case), e.g. `512m`, `1.5g`, `100kb`.
public enum ByteSize {
    /// Parses `text` into bytes; nil when it is not a valid size.
    public static func parse(_ text: String) -> Int64? {
        var body = Substring(text.trimmingSpaces())
        let number = body.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
        guard !number.isEmpty, let value = Double(number), value >= 0 else { return nil }
        body = body.dropFirst(number.count)
        if body.first == " " { body = body.dropFirst() }
        var unit = body.lowercased()
        if unit.hasSuffix("ib") { unit.removeLast(2) } else if unit.hasSuffix("b") { unit.removeLast() }
        let multiplier: Double
        switch unit {
        case "": multiplier = 1
        case "k": multiplier = Double(Int64(1) << 10)
        case "m": multiplier = Double(Int64(1) << 20)
        case "g": multiplier = Double(Int64(1) << 30)
        case "t": multiplier = Double(Int64(1) << 40)
        case "p": multiplier = Double(Int64(1) << 50)
        default: return nil
        }
        let bytes = value * multiplier
        guard bytes < 9.2e18 else { return nil }
        return Int64(bytes)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation needed).
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s = s.dropLast() }
        return String(s)
    }
}
