/// A resolved YAML scalar (YAML 1.2 core schema for plain scalars; quoted scalars are strings).
public enum Scalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    /// A float keeps the text it was written with, so output does not change `0.10` into `0.1`.
    case float(Double, text: String)
    case string(String)

    /// Resolves a plain (unquoted) scalar's text as YAML 1.2's core schema does.
    public static func resolvePlain(_ text: String) -> Scalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity, text: text)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity, text: text)
        case ".nan", ".NaN", ".NAN": return .float(.nan, text: text)
        default: break
        }
        if let int = parseInteger(text) { return .int(int) }
        if looksLikeFloat(text), let value = Double(text) { return .float(value, text: text) }
        return .string(text)
    }

    /// Decimal, `0o` octal and `0x` hex integers with an optional sign.
    static func parseInteger(_ text: String) -> Int? {
        var body = Substring(text)
        var negative = false
        if let first = body.first, first == "-" || first == "+" {
            negative = first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        let value: Int?
        if body.hasPrefix("0o") {
            value = Int(body.dropFirst(2), radix: 8)
        } else if body.hasPrefix("0x") {
            value = Int(body.dropFirst(2), radix: 16)
        } else if body.count > 1, body.hasPrefix("0"), body.allSatisfy({ ("0"..."7").contains($0) }) {
            // go-yaml (and so Compose) reads a leading zero as octal: `mode: 0440` is 288.
            value = Int(body.dropFirst(), radix: 8)
        } else if body.allSatisfy({ $0.isASCII && $0.isNumber }) {
            value = Int(body, radix: 10)
        } else {
            value = nil
        }
        guard let value else { return nil }
        return negative ? -value : value
    }

    private static func looksLikeFloat(_ text: String) -> Bool {
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var chars = Array(text.utf8)[...]
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
