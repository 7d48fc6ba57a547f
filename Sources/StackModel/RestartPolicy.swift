/// When the engine restarts a service's containers after they exit (Compose `restart:`).
public enum RestartPolicy: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Never restart (`no`, the default).
    case no
    /// Always restart, whatever the exit status, and at engine start.
    case always
    /// Restart unless the container was stopped by the user (`unless-stopped`).
    case unlessStopped
    /// Restart after a non-zero exit (`on-failure[:N]`); nil or 0 retries means unlimited.
    case onFailure(maxRetries: Int?)

    /// Parses Compose's spelling: `no`, `always`, `unless-stopped`, `on-failure`, `on-failure:3`.
    /// Returns nil for anything else.
    public init?(parsing text: String) {
        switch text {
        case "no", "": self = .no
        case "always": self = .always
        case "unless-stopped": self = .unlessStopped
        case "on-failure": self = .onFailure(maxRetries: nil)
        default:
            guard text.hasPrefix("on-failure:"),
                let count = Int(text.dropFirst("on-failure:".count)), count >= 0
            else { return nil }
            self = .onFailure(maxRetries: count)
        }
    }

    /// The Compose spelling, e.g. `on-failure:3`.
    public var description: String {
        switch self {
        case .no: return "no"
        case .always: return "always"
        case .unlessStopped: return "unless-stopped"
        case .onFailure(let maxRetries?): return "on-failure:\(maxRetries)"
        case .onFailure(nil): return "on-failure"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let policy = RestartPolicy(parsing: text) else {
            throw container.invalid(
                "invalid restart policy \"\(text)\"; expected \"no\", \"always\", \"unless-stopped\" or \"on-failure[:N]\"")
        }
        self = policy
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
