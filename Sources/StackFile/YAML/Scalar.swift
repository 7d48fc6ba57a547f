/// A resolved YAML scalar (YAML 1.2 core schema for plain scalars; quoted scalars are strings).
public enum Scalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    /// A float keeps the text it was written with, so output does not change `0.10` into `0.1`.
    case float(Double, text: String)
    case string(String)

    /// Resolves a plain (unquoted) scalar's text as YAML 1.2's core schema does (with go-yaml's
    /// reading of a leading zero as octal).
    public static func resolvePlain(_ text: String) -> Scalar {
        // Fast path: only text starting with a digit, sign, dot, `~` or a letter of
        // null/true/false can be anything but a string.
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"):
            break
        default:
            return .string(text)
        }
        // Every special word below is at most 5 bytes long; skip comparing longer text to them.
        if text.utf8.count <= 5 {
            if let special = special(text) { return special }
        }
        if let int = parseInteger(text) { return .int(int) }
        if looksLikeFloat(text), let value = Double(text) { return .float(value, text: text) }
        return .string(text)
    }

    /// The null, boolean and infinity/NaN words of the core schema.
    private static func special(_ text: String) -> Scalar? {
        switch text {
        case "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity, text: text)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity, text: text)
        case ".nan", ".NaN", ".NAN": return .float(.nan, text: text)
        default: return nil
        }
    }

    /// Decimal, `0o` and leading-zero octal, and `0x` hex integers with an optional sign.
    static func parseInteger(_ text: String) -> Int? {
        var bytes = text.utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty, bytes.count <= 24 else { return nil }
        var radix = 10
        if bytes.count > 2, bytes.first == UInt8(ascii: "0") {
            let marker = bytes[bytes.index(after: bytes.startIndex)]
            if marker == UInt8(ascii: "o") { radix = 8; bytes = bytes.dropFirst(2) }
            else if marker == UInt8(ascii: "x") { radix = 16; bytes = bytes.dropFirst(2) }
        }
        if radix == 10, bytes.count > 1, bytes.first == UInt8(ascii: "0") {
            // go-yaml (and so Compose) reads a leading zero as octal: `mode: 0440` is 288.
            radix = 8
            bytes = bytes.dropFirst()
        }
        var value = 0
        for byte in bytes {
            let digit: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(byte - UInt8(ascii: "A")) + 10
            default: return nil
            }
            guard digit < radix else { return nil }
            let (scaled, o1) = value.multipliedReportingOverflow(by: radix)
            let (sum, o2) = scaled.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    private static func looksLikeFloat(_ text: String) -> Bool {
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var chars = text.utf8[...]
        if let c = chars.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { chars = chars.dropFirst() }
        var digits = 0, sawDot = false, sawExp = false, expDigits = 0
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawExp { expDigits += 1 } else { digits += 1 }
            case UInt8(ascii: "."):
                if sawDot || sawExp { return false }
                sawDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if sawExp || digits == 0 { return false }
                sawExp = true
                if let s = chars.first, s == UInt8(ascii: "-") || s == UInt8(ascii: "+") { chars = chars.dropFirst() }
            default:
                return false
            }
        }
        return digits > 0 && (!sawExp || expDigits > 0)
    }

    /// The value as text, as it would be interpolated or printed.
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(_, let text): return text
        case .string(let s): return s
        }
    }

    /// A name for the kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .float: return "number"
        case .string: return "string"
        }
    }
}
