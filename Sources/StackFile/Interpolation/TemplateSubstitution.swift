/// Compose's `$` template substitution, reproduced on UTF-8 bytes.
///
/// Compose (compose-go `template`) finds substitutions with one regular expression, applied left to
/// right, case-insensitive:
///
///     \$ ( \$  |  NAME  |  { NAME ( :?[-+?] .* )? }  |  {  )      NAME = [_a-z][_a-z0-9]*
///
/// where `.` does not match a newline and `.*` is greedy. The consequences reproduced here:
/// - `$$` is a literal `$`; a `$` followed by anything else that is not a name or `{` stays as is.
/// - `${` that does not continue as `NAME}` or `NAME` + operator + … + `}` (on the same line) is an
///   invalid template, which fails the whole substitution.
/// - With an operator, the match runs to the LAST `}` of the line. Compose then cuts it at the first
///   `}` that balances the opening `{` (counting `{`/`}`, skipping the character after each `{`);
///   the text up to that brace is the substitution and the text after it (up to the last `}`) is
///   substituted as a separate template. If no brace balances, the whole match is the substitution.
/// - The operator is the one written right after the name; the argument (default, replacement or
///   error message) is itself substituted, and only when it is used (so unused branches never warn).
/// - Under Go's Unicode case folding, `ſ` (U+017F) and `K` (U+212A) also match `[a-z]`.
enum TemplateSubstitution {
    /// How deeply defaults may nest (`${A:-${B:-${C:-…}}}`) before the template is rejected.
    static let maxNesting = 64

    /// Substitutes `template`. `unset` receives, in order, the names of unset variables that were
    /// used without a default (Compose warns about each of them).
    static func substitute(
        _ template: String, lookup: (String) -> String?, unset: inout [String]
    ) throws(InterpolationError) -> String {
        guard containsDollar(template) else { return template }
        let bytes = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        try substitute(bytes[...], into: &out, lookup: lookup, unset: &unset, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `text` contains a `$` (the fast path: nothing to substitute otherwise).
    @inline(__always)
    static func containsDollar(_ text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ $0.contains(dollar) }) { return found }
        return text.utf8.contains(dollar)
    }

    // MARK: - The substitution loop

    /// One substitution pass over `template` (one call of Compose's `Substitute`).
    private static func substitute(
        _ template: ArraySlice<UInt8>, into out: inout [UInt8],
        lookup: (String) -> String?, unset: inout [String], depth: Int
    ) throws(InterpolationError) {
        guard depth <= maxNesting else { throw .nestingTooDeep(template: text(template)) }
        var scanner = Scanner(bytes: template)
        var pos = template.startIndex
        // While inside the tail of a braced match, Compose substitutes that tail as its own template:
        // errors found there quote the tail, not the whole template.
        var tail: Range<Int>?

        while pos < template.endIndex {
            guard let at = template[pos...].firstIndex(of: dollar) else {
                out.append(contentsOf: template[pos...])
                break
            }
            out.append(contentsOf: template[pos..<at])
            if let range = tail, at >= range.upperBound { tail = nil }

            switch scanner.match(at: at) {
            case .none:
                out.append(dollar)
                pos = at + 1
            case .escaped:
                out.append(dollar)
                pos = at + 2
            case .invalid:
                throw .invalidTemplate(template: text(tail.map { template[$0] } ?? template))
            case .named(let nameRange):
                append(variable: text(template[nameRange]), to: &out, lookup: lookup, unset: &unset)
                pos = nameRange.upperBound
            case .braced(let nameRange, let end):
                append(variable: text(template[nameRange]), to: &out, lookup: lookup, unset: &unset)
                pos = end
            case .bracedWithOperator(let nameRange, let op, let argumentStart, let end):
                let closing = firstBalancingBrace(template, from: at, to: end)
                let argument = template[argumentStart..<(closing ?? end - 1)]
                try apply(
                    op, name: text(template[nameRange]), argument: argument, into: &out,
                    lookup: lookup, unset: &unset, depth: depth)
                if let closing, closing + 1 < end {
                    tail = (closing + 1)..<end
                    pos = closing + 1
                } else {
                    pos = end
                }
            }
        }
    }

    private static func append(
        variable name: String, to out: inout [UInt8], lookup: (String) -> String?, unset: inout [String]
    ) {
        if let value = lookup(name) {
            out.append(contentsOf: value.utf8)
        } else {
            unset.append(name)
        }
    }

    /// Applies `${name<op>argument}`.
    private static func apply(
        _ op: Operator, name: String, argument: ArraySlice<UInt8>, into out: inout [UInt8],
        lookup: (String) -> String?, unset: inout [String], depth: Int
    ) throws(InterpolationError) {
        let value = lookup(name)
        let useArgument: Bool
        switch op {
        case .defaultIfUnsetOrEmpty: useArgument = value == nil || value == ""
        case .defaultIfUnset: useArgument = value == nil
        case .replacementIfNotEmpty: useArgument = value != nil && value != ""
        case .replacementIfSet: useArgument = value != nil
        case .requiredNotEmpty, .required:
            let missing = op == .required ? value == nil : (value == nil || value == "")
            if missing {
                var reason: [UInt8] = []
                try substitute(argument, into: &reason, lookup: lookup, unset: &unset, depth: depth + 1)
                throw .missingRequired(variable: name, reason: String(decoding: reason, as: UTF8.self))
            }
            useArgument = false
        }
        if useArgument {
            try substitute(argument, into: &out, lookup: lookup, unset: &unset, depth: depth + 1)
        } else if let value {
            out.append(contentsOf: value.utf8)
        }
    }

    /// Compose's brace counting over `bytes[from..<to]`: the index of the `}` that brings the count
    /// back to zero, where each `{` counts one and hides the character after it. Nil if none does.
    private static func firstBalancingBrace(_ bytes: ArraySlice<UInt8>, from: Int, to end: Int) -> Int? {
        var open = 0
        var i = from
        while i < end {
            let c = bytes[i]
            if c == closeBrace {
                open -= 1
                if open == 0 { return i }
            } else if c == openBrace {
                open += 1
                i += 1
            }
            i += 1
        }
        return nil
    }

    @inline(__always)
    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    static let dollar = UInt8(ascii: "$")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
}

extension TemplateSubstitution {
    /// The operators of a braced substitution.
    enum Operator: Equatable {
        /// `:-` default when unset or empty.
        case defaultIfUnsetOrEmpty
        /// `-` default when unset.
        case defaultIfUnset
        /// `:+` replacement when set and not empty.
        case replacementIfNotEmpty
        /// `+` replacement when set.
        case replacementIfSet
        /// `:?` error when unset or empty.
        case requiredNotEmpty
        /// `?` error when unset.
        case required
    }

    /// What the pattern matches at a `$`.
    enum Match {
        /// No match: the `$` is literal.
        case none
        /// `$$`.
        case escaped
        /// `$NAME`.
        case named(Range<Int>)
        /// `${NAME}`; `end` is just past the `}`.
        case braced(Range<Int>, end: Int)
        /// `${NAME<op>…}`; `end` is just past the last `}` of the line.
        case bracedWithOperator(Range<Int>, Operator, argumentStart: Int, end: Int)
        /// `${` that starts no valid substitution.
        case invalid
    }

    /// Matches the substitution pattern at a `$`, remembering the last `}` of the current line.
    struct Scanner {
        let bytes: ArraySlice<UInt8>
        /// End of the line whose last `}` is cached, and that brace (nil: none after `braceSearchStart`).
        private var lineEnd = -1
        private var braceSearchStart = -1
        private var lastBrace: Int?

        init(bytes: ArraySlice<UInt8>) { self.bytes = bytes }

        mutating func match(at dollarIndex: Int) -> Match {
            let next = dollarIndex + 1
            guard next < bytes.endIndex else { return .none }
            let c = bytes[next]
            if c == TemplateSubstitution.dollar { return .escaped }
            if nameStartLength(at: next) > 0 { return .named(next..<nameEnd(from: next)) }
            guard c == TemplateSubstitution.openBrace else { return .none }

            let nameStart = next + 1
            guard nameStartLength(at: nameStart) > 0 else { return .invalid }
            let nameEnd = nameEnd(from: nameStart)
            guard nameEnd < bytes.endIndex else { return .invalid }
            if bytes[nameEnd] == TemplateSubstitution.closeBrace {
                return .braced(nameStart..<nameEnd, end: nameEnd + 1)
            }
            var opIndex = nameEnd
            let colon = bytes[opIndex] == UInt8(ascii: ":")
            if colon { opIndex += 1 }
            guard opIndex < bytes.endIndex else { return .invalid }
            let op: Operator
            switch bytes[opIndex] {
            case UInt8(ascii: "-"): op = colon ? .defaultIfUnsetOrEmpty : .defaultIfUnset
            case UInt8(ascii: "+"): op = colon ? .replacementIfNotEmpty : .replacementIfSet
            case UInt8(ascii: "?"): op = colon ? .requiredNotEmpty : .required
            default: return .invalid
            }
            guard let last = lastBraceOnLine(from: opIndex + 1) else { return .invalid }
            return .bracedWithOperator(nameStart..<nameEnd, op, argumentStart: opIndex + 1, end: last + 1)
        }

        /// The last `}` at or after `start` before the next newline.
        private mutating func lastBraceOnLine(from start: Int) -> Int? {
            if start < braceSearchStart || start > lineEnd {
                braceSearchStart = start
                lastBrace = nil
                var i = start
                while i < bytes.endIndex, bytes[i] != UInt8(ascii: "\n") {
                    if bytes[i] == TemplateSubstitution.closeBrace { lastBrace = i }
                    i += 1
                }
                lineEnd = i
            }
            guard let lastBrace, lastBrace >= start else { return nil }
            return lastBrace
        }

        private func nameEnd(from start: Int) -> Int {
            var i = start
            while true {
                let length = nameCharacterLength(at: i)
                if length == 0 { return i }
                i += length
            }
        }

        /// Byte length of a character matching `(?i)[_a-z]` at `i`, or 0.
        private func nameStartLength(at i: Int) -> Int {
            guard i < bytes.endIndex else { return 0 }
            let c = bytes[i]
            if (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") { return 1 }
            return foldedLetterLength(at: i)
        }

        /// Byte length of a character matching `(?i)[_a-z0-9]` at `i`, or 0.
        private func nameCharacterLength(at i: Int) -> Int {
            guard i < bytes.endIndex else { return 0 }
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 { return 1 }
            return nameStartLength(at: i)
        }

        /// `ſ` (C5 BF) and the Kelvin sign `K` (E2 84 AA): non-ASCII letters that Go's case folding
        /// maps onto `s` and `k`.
        private func foldedLetterLength(at i: Int) -> Int {
            let c = bytes[i]
            if c == 0xC5, i + 1 < bytes.endIndex, bytes[i + 1] == 0xBF { return 2 }
            if c == 0xE2, i + 2 < bytes.endIndex, bytes[i + 1] == 0x84, bytes[i + 2] == 0xAA { return 3 }
            return 0
        }
    }
}
