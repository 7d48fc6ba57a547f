/// String literals with escapes, in the three syntaxes the project writes: JSON, YAML's double-
/// quoted scalars, and Go's `%q` (to word errors as Compose does).
public enum QuotedString {
    public enum Style: Sendable {
        /// `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other controls as `\u00XX`.
        case json
        /// `\"`, `\\`, `\n`, `\r`, `\t`, other controls and DEL as `\xXX`.
        case yaml
        /// As Go's `%q`: also `\a`, `\b`, `\f`, `\v`; other controls and DEL as `\xXX`.
        case go
    }

    /// `text` between double quotes, escaped for `style`.
    public static func quote(_ text: String, style: Style) -> String {
        var out = "\""
        append(text, style: style, to: &out)
        out += "\""
        return out
    }

    /// Appends `text`'s escaped content (without the quotes) to `out`.
    public static func append(_ text: String, style: Style, to out: inout String) {
        // Only ASCII needs escapes: text without any is appended whole (the usual case, and a
        // byte scan instead of a scalar-by-scalar copy).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c || $0 == 0x7f }) {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}" where style != .yaml: out += "\\b"
            case "\u{0C}" where style != .yaml: out += "\\f"
            case "\u{07}" where style == .go: out += "\\a"
            case "\u{0B}" where style == .go: out += "\\v"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0x7f {
                    switch style {
                    case .json: out += "\\u00" + hex(value)
                    case .yaml, .go: out += "\\x" + hex(value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    /// Two lowercase hex digits.
    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }
}
