/// Why a `$` template could not be substituted. Descriptions use Compose's wording.
public enum InterpolationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `${` that does not start a valid substitution (`${`, `${}`, `${ foo}`, `${foo!}` …).
    /// `template` is the text Compose reports: the template (or nested default / tail) being substituted.
    case invalidTemplate(template: String)
    /// `${VAR:?reason}` / `${VAR?reason}` with VAR missing (or empty for `:?`).
    case missingRequired(variable: String, reason: String)
    /// Defaults nested deeper than `TemplateSubstitution.maxNesting` (a guard against stack exhaustion).
    case nestingTooDeep(template: String)

    public var description: String {
        switch self {
        case .invalidTemplate(let template):
            return "Invalid template: \(GoQuote.quote(template))"
        case .missingRequired(let variable, let reason):
            if reason.isEmpty { return "required variable \(variable) is missing a value" }
            return "required variable \(variable) is missing a value: \(reason)"
        case .nestingTooDeep(let template):
            return "Invalid template: defaults nested too deeply in \(GoQuote.quote(template))"
        }
    }
}

/// Go-syntax string quoting (`%q` / `%#v`), used to reproduce Compose's error messages.
enum GoQuote {
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
