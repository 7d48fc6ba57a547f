import StackCore

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

/// Go-syntax string quoting (`%q`), used to reproduce Compose's error messages.
enum GoQuote {
    static func quote(_ text: String) -> String { QuotedString.quote(text, style: .go) }
}
