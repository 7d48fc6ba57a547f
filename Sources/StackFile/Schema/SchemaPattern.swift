import StackCore

/// A compiled `pattern` / `patternProperties` regular expression.
///
/// The shapes the stack schema uses on hot paths (`^x-`, `^[a-zA-Z0-9._-]+$`, `^.+$`) get
/// hand-written matchers; anything else falls back to Swift's `Regex` (unanchored search,
/// as JSON Schema specifies).
struct SchemaPattern: Sendable {
    private enum Matcher: Sendable {
        /// `^literal`, as UTF-8 bytes.
        case prefix([UInt8])
        /// `^[class]+$` with an ASCII class: every byte's bit set in the 128-bit map, at least one.
        case allIn(low: UInt64, high: UInt64)
        /// `.+` or `^.+$` (no newlines in keys that matter): a non-empty string.
        case nonEmpty
        case regex(RegexBox)
    }

    /// A compiled `Regex` is immutable once built; the box keeps it behind one reference.
    final class RegexBox: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
        init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
    }

    /// The source text, for messages.
    let source: String
    private let matcher: Matcher

    init(_ source: String) throws(StackError) {
        self.source = source
        if source == ".+" || source == "^.+$" {
            matcher = .nonEmpty
        } else if let literal = Self.anchoredLiteral(source) {
            matcher = .prefix(Array(literal.utf8))
        } else if let (low, high) = Self.anchoredClassPlus(source) {
            matcher = .allIn(low: low, high: high)
        } else {
            do {
                matcher = .regex(RegexBox(try Regex(source)))
            } catch {
                throw StackError(.internalError, "schema: invalid pattern \(source)")
            }
        }
    }

    /// True when `text` matches (anywhere, unless the pattern is anchored).
    func matches(_ text: String) -> Bool {
        switch matcher {
        case .prefix(let literal):
            var utf8 = text.utf8.makeIterator()
            for byte in literal where utf8.next() != byte { return false }
            return true
        case .allIn(let low, let high):
            var utf8 = text.utf8
            if let fast = utf8.withContiguousStorageIfAvailable({ Self.allIn($0, low, high) }) { return fast }
            utf8 = text.utf8
            return Self.allIn(utf8, low, high)
        case .nonEmpty: return !text.isEmpty
        case .regex(let box):
            return (try? box.regex.firstMatch(in: text)) != nil
        }
    }

    private static func allIn<Bytes: Sequence<UInt8>>(_ bytes: Bytes, _ low: UInt64, _ high: UInt64) -> Bool {
        var any = false
        for byte in bytes {
            any = true
            if byte < 64 {
                if low & (1 << UInt64(byte)) == 0 { return false }
            } else if byte < 128 {
                if high & (1 << UInt64(byte - 64)) == 0 { return false }
            } else {
                return false
            }
        }
        return any
    }

    /// `^abc` with no metacharacters after the caret → `abc`.
    private static func anchoredLiteral(_ source: String) -> String? {
        guard source.hasPrefix("^") else { return nil }
        let body = source.dropFirst()
        let meta: Set<Character> = ["\\", ".", "[", "]", "(", ")", "*", "+", "?", "{", "}", "|", "^", "$"]
        guard !body.isEmpty, !body.contains(where: { meta.contains($0) }) else { return nil }
        return String(body)
    }

    /// `^[a-zA-Z0-9._-]+$` → a bitmap of the ASCII characters the class admits (ranges and
    /// literals only); nil for other shapes.
    private static func anchoredClassPlus(_ source: String) -> (low: UInt64, high: UInt64)? {
        guard source.hasPrefix("^["), source.hasSuffix("]+$") else { return nil }
        let body = Array(source.dropFirst(2).dropLast(3))
        guard !body.isEmpty, body.first != "^", !body.contains("\\"), !body.contains("["), !body.contains("]")
        else { return nil }
        guard body.allSatisfy({ $0.isASCII }) else { return nil }
        let codes = body.compactMap { $0.asciiValue }
        var map: (low: UInt64, high: UInt64) = (0, 0)
        func add(_ code: UInt8) {
            if code < 64 { map.low |= 1 << UInt64(code) } else { map.high |= 1 << UInt64(code - 64) }
        }
        var i = 0
        while i < codes.count {
            if i + 2 < codes.count, codes[i + 1] == UInt8(ascii: "-"), codes[i] <= codes[i + 2] {
                for code in codes[i]...codes[i + 2] { add(code) }
                i += 3
            } else {
                add(codes[i])
                i += 1
            }
        }
        return map
    }
}
