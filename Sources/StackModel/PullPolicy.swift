import StackCore

/// When to pull a service's image (`pull_policy`).
public enum PullPolicy: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Always pull.
    case always
    /// Never pull; fail when the image is missing.
    case never
    /// Pull when the image is missing (`missing`, also spelled `if_not_present`). The default.
    case missing
    /// Build the image, even when it exists.
    case build
    /// Pull when the local copy is older than the interval (`daily`, `weekly`, `every_12h`).
    case refresh(Duration)

    /// Parses the Compose spelling; nil when unknown.
    public init?(parsing text: String) {
        switch text {
        case "always": self = .always
        case "never": self = .never
        case "missing", "if_not_present": self = .missing
        case "build": self = .build
        case "daily": self = .refresh(.seconds(86_400))
        case "weekly": self = .refresh(.seconds(7 * 86_400))
        default:
            guard text.hasPrefix("every_"), let interval = Self.interval(String(text.dropFirst(6))) else {
                return nil
            }
            self = .refresh(interval)
        }
    }

    /// A Go duration, or a whole number of days (`3d`) or weeks (`1w`).
    private static func interval(_ text: String) -> Duration? {
        if let nanoseconds = GoDuration.parse(text), nanoseconds > 0 { return .nanoseconds(nanoseconds) }
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0 else { return nil }
        switch unit {
        case "d": return .seconds(count * 86_400)
        case "w": return .seconds(count * 7 * 86_400)
        default: return nil
        }
    }

    /// The Compose spelling; refresh intervals print as `every_<Go duration>`.
    public var description: String {
        switch self {
        case .always: return "always"
        case .never: return "never"
        case .missing: return "missing"
        case .build: return "build"
        case .refresh(let interval):
            if interval == .seconds(86_400) { return "daily" }
            if interval == .seconds(7 * 86_400) { return "weekly" }
            return "every_" + GoDuration.format(interval.totalNanoseconds)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let policy = PullPolicy(parsing: text) else {
            throw container.invalid(
                "invalid pull_policy \"\(text)\"; expected always, never, missing, build, daily, weekly or every_<duration>")
        }
        self = policy
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
