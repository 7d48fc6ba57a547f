/// Syntax checks for IP address literals (as Go's `net.ParseIP` accepts them: dotted IPv4
/// without leading zeros, and IPv6 with at most one `::` and an optional IPv4 tail; no zone).
enum IPLiteral {
    static func isValid(_ text: String) -> Bool { isIPv4(text) || isIPv6(text) }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.isASCIIDigits,
                let value = Int(part), value <= 255
            else { return false }
            if part.count > 1 && part.first == "0" { return false }
        }
        return true
    }

    static func isIPv6(_ text: String) -> Bool {
        guard text.contains(ascii: ":") else { return false }
        let halves = text.components(separatedByString: "::")
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (index, half) in halves.enumerated() {
            guard !half.isEmpty else { continue }
            let fields = half.split(separator: ":", omittingEmptySubsequences: false)
            for (position, field) in fields.enumerated() {
                let isLast = index == halves.count - 1 && position == fields.count - 1
                if isLast && field.contains(ascii: ".") {
                    guard isIPv4(String(field)) else { return false }
                    groups += 2
                    continue
                }
                guard (1...4).contains(field.count), field.allSatisfy({ $0.isHexDigit }) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups < 8 : groups == 8
    }
}

extension String {
    /// Splits on a multi-character separator (no Foundation).
    fileprivate func components(separatedByString separator: String) -> [String] {
        var result: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            result.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        result.append(String(rest))
        return result
    }
}
