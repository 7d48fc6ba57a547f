import StackCore

/// The statement-by-statement `.env` parser behind `DotEnv.parse` (compose-go `dotenv` semantics).
struct DotEnvParser {
    private let bytes: [UInt8]
    private let file: String
    private var pos = 0
    // A forward-moving cursor turning byte offsets into line numbers.
    private var cursorOffset = 0
    private var cursorLine = 1
    private var cursorLineStart = 0

    init(text: String, file: String) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // UTF-8 byte order mark
        self.bytes = bytes
        self.file = file
    }

    mutating func parse(
        lookup: (String) -> String?, warnings: inout [StackWarning]
    ) throws(StackError) -> [DotEnv.Entry] {
        var result = OrderedEntries()
        while skipToStatement() {
            let (key, keyStart, bare) = try locateKey()
            if bare {
                // A lone `export` line leaves an empty bare key, which Compose cannot resolve either.
                if !key.isEmpty { result.declare(key, lookup(key)) }
                continue
            }
            if key.isEmpty {
                throw StackError(.invalidStackFile, "no variable name before '='", mark: mark(at: keyStart))
            }
            let value = try extractValue(lookup: { lookup($0) ?? result[$0] }, warnings: &warnings)
            result.assign(key, value)
        }
        return result.entries
    }

    // MARK: Statements and keys

    /// Skips blanks, newlines and comment lines; false at the end of the text.
    private mutating func skipToStatement() -> Bool {
        while true {
            while pos < bytes.count {
                let (scalar, length) = decode(at: pos)
                guard scalar.properties.isWhitespace else { break }
                pos += length
            }
            guard pos < bytes.count else { return false }
            guard bytes[pos] == UInt8(ascii: "#") else { return true }
            guard let newline = bytes[pos...].firstIndex(of: UInt8(ascii: "\n")) else {
                pos = bytes.count
                return false
            }
            pos = newline
        }
    }

    /// Reads `[export ]KEY` up to `=`, `:` or a newline (a bare key). Leaves `pos` at the value.
    private mutating func locateKey() throws(StackError) -> (key: String, start: Int, bare: Bool) {
        if hasExportPrefix() {
            pos += 6
            skipBlanks()
        }
        let start = pos
        var i = pos
        var terminator: UInt8?
        while i < bytes.count {
            let (scalar, length) = decode(at: i)
            if Self.isBlank(scalar) {
                i += length
                continue
            }
            switch scalar {
            case "=", ":", "\n":
                terminator = UInt8(scalar.value)
            case "_", ".", "-", "[", "]":
                break
            default:
                guard Self.isLetterOrNumber(scalar) else {
                    let lineEnd = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                    let statement = String(decoding: bytes[start..<lineEnd], as: UTF8.self)
                    throw StackError(
                        .invalidStackFile,
                        "unexpected character \(GoQuote.quote(String(scalar))) in variable name \(GoQuote.quote(statement))",
                        mark: mark(at: i))
                }
            }
            if terminator != nil { break }
            i += length
        }
        var key = String(decoding: bytes[start..<i], as: UTF8.self)
        while let last = key.unicodeScalars.last, last.properties.isWhitespace { key.unicodeScalars.removeLast() }
        if key.utf8.contains(UInt8(ascii: " ")) {
            throw StackError(.invalidStackFile, "key cannot contain a space", mark: mark(at: start))
        }
        pos = min(i + 1, bytes.count)
        skipBlanks()
        return (key, start, terminator == nil || terminator == UInt8(ascii: "\n"))
    }

    /// `export` followed by an ASCII blank or line break (Go's `^export\s+`).
    private func hasExportPrefix() -> Bool {
        let word: [UInt8] = Array("export".utf8)
        guard pos + word.count < bytes.count, bytes[pos..<(pos + word.count)].elementsEqual(word) else { return false }
        switch bytes[pos + word.count] {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C: return true
        default: return false
        }
    }

    private mutating func skipBlanks() {
        while pos < bytes.count {
            let (scalar, length) = decode(at: pos)
            guard Self.isBlank(scalar) else { return }
            pos += length
        }
    }

    // MARK: Values

    private mutating func extractValue(
        lookup: (String) -> String?, warnings: inout [StackWarning]
    ) throws(StackError) -> String {
        let start = pos
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") || bytes[pos] == UInt8(ascii: "'") else {
            let lineEnd = bytes[pos...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var valueEnd = lineEnd
            if let hash = Self.inlineComment(in: bytes[pos..<lineEnd]) { valueEnd = hash }
            pos = min(lineEnd + 1, bytes.count)
            var value = String(decoding: bytes[start..<valueEnd], as: UTF8.self)
            while let last = value.unicodeScalars.last, last.properties.isWhitespace { value.unicodeScalars.removeLast() }
            return try substitute(value, at: start, lookup: lookup, warnings: &warnings)
        }
        let quote = bytes[pos]
        var chars: [UInt8] = []
        var escaped = false
        var i = pos + 1
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if c != quote {
                if !escaped && c == UInt8(ascii: "\\") {
                    escaped = true
                    continue
                }
                if escaped {
                    escaped = false
                    chars.append(UInt8(ascii: "\\"))
                }
                chars.append(c)
                continue
            }
            if escaped {  // an escaped quote of the kind that opened the value
                escaped = false
                chars.append(c)
                continue
            }
            pos = i
            guard quote == UInt8(ascii: "\"") else { return String(decoding: chars, as: UTF8.self) }
            let unescaped = String(decoding: Self.expandEscapes(chars), as: UTF8.self)
            return try substitute(unescaped, at: start, lookup: lookup, warnings: &warnings)
        }
        let lineEnd = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        throw StackError(
            .invalidStackFile,
            "unterminated quoted value \(String(decoding: bytes[start..<lineEnd], as: UTF8.self))",
            mark: mark(at: start))
    }

    /// The start of ` #` in an unquoted value, if any.
    private static func inlineComment(in value: ArraySlice<UInt8>) -> Int? {
        var i = value.startIndex
        while i + 1 < value.endIndex {
            if value[i] == UInt8(ascii: " ") && value[i + 1] == UInt8(ascii: "#") { return i }
            i += 1
        }
        return nil
    }

    private mutating func substitute(
        _ value: String, at offset: Int, lookup: (String) -> String?, warnings: inout [StackWarning]
    ) throws(StackError) -> String {
        guard TemplateSubstitution.containsDollar(value) else { return value }
        var unset: [String] = []
        do {
            let result = try TemplateSubstitution.substitute(value, lookup: lookup, unset: &unset)
            var reported: Set<String> = []
            for name in unset where reported.insert(name).inserted {
                warnings.append(StackWarning(Interpolator.unsetWarning(name), mark: mark(at: offset)))
            }
            return result
        } catch {
            throw StackError(.invalidStackFile, error.description, mark: mark(at: offset))
        }
    }

    /// Unescapes `\a \b \f \n \r \t \v \\ \"` and `\0ooo` (octal, at most 255); `\$` becomes `$$`
    /// so that substitution keeps it literal. Other backslashes stay.
    static func expandEscapes(_ chars: [UInt8]) -> [UInt8] {
        guard chars.contains(UInt8(ascii: "\\")) else { return chars }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == UInt8(ascii: "\\"), i + 1 < chars.count else {
                out.append(c)
                i += 1
                continue
            }
            switch chars[i + 1] {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "$"): out.append(contentsOf: [UInt8(ascii: "$"), UInt8(ascii: "$")])
            case UInt8(ascii: "c"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "c")])
            case UInt8(ascii: "0"):
                var end = i + 2
                while end < chars.count, end < i + 5, chars[end] >= 0x30, chars[end] <= 0x39 { end += 1 }
                let digits = chars[(i + 2)..<end]
                if digits.count == 3, digits.allSatisfy({ $0 <= UInt8(ascii: "7") }) {
                    let value = digits.reduce(UInt32(0)) { $0 * 8 + UInt32($1 - 0x30) }
                    if value <= 255, let scalar = Unicode.Scalar(value) {
                        out.append(contentsOf: String(scalar).utf8)
                        i = end
                        continue
                    }
                }
                out.append(contentsOf: chars[i..<end])
                i = end
                continue
            default:
                out.append(c)
                i += 1
                continue
            }
            i += 2
        }
        return out
    }

    // MARK: Characters and positions

    /// Blanks of the dotenv grammar: Unicode spaces except line breaks.
    private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\u{0B}", "\u{0C}", "\r", " ", "\u{85}", "\u{A0}": return true
        default: return false
        }
    }

    private static func isLetterOrNumber(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The scalar starting at byte `i` (the text is valid UTF-8) and its length in bytes.
    private func decode(at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
        guard i + length <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = UInt32(b0) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { value = value << 6 | (UInt32(bytes[i + k]) & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// `file:line:column` of byte `offset` (column in Unicode scalars, 1-based).
    private mutating func mark(at offset: Int) -> SourceMark {
        if offset < cursorOffset {
            cursorOffset = 0
            cursorLine = 1
            cursorLineStart = 0
        }
        while cursorOffset < offset, cursorOffset < bytes.count {
            if bytes[cursorOffset] == UInt8(ascii: "\n") {
                cursorLine += 1
                cursorLineStart = cursorOffset + 1
            }
            cursorOffset += 1
        }
        let column = bytes[cursorLineStart..<min(offset, bytes.count)].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return SourceMark(file: file, line: cursorLine, column: column)
    }
}
