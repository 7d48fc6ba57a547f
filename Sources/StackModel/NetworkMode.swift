/// A service's `network_mode`: which network namespace its containers use.
public enum NetworkMode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// No networking but loopback.
    case none
    /// The host's network namespace.
    case host
    /// The engine's default bridge.
    case bridge
    /// The namespace of another service's container (`service:name`).
    case service(String)
    /// The namespace of a named container (`container:name`).
    case container(String)
    /// Any other value, passed through (e.g. a named network).
    case custom(String)

    /// Parses the Compose spelling.
    public init(parsing text: String) {
        switch text {
        case "none": self = .none
        case "host": self = .host
        case "bridge", "default": self = .bridge
        default:
            if text.hasPrefix("service:") {
                self = .service(String(text.dropFirst("service:".count)))
            } else if text.hasPrefix("container:") {
                self = .container(String(text.dropFirst("container:".count)))
            } else {
                self = .custom(text)
            }
        }
    }

    /// The Compose spelling, e.g. `service:db`.
    public var description: String {
        switch self {
        case .none: return "none"
        case .host: return "host"
        case .bridge: return "bridge"
        case .service(let name): return "service:\(name)"
        case .container(let name): return "container:\(name)"
        case .custom(let text): return text
        }
    }

    /// The service whose namespace this mode joins, if any.
    public var serviceDependency: String? {
        if case .service(let name) = self { return name }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if text == "service:" || text == "container:" {
            throw container.invalid("invalid network_mode \"\(text)\": a name is missing")
        }
        self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
