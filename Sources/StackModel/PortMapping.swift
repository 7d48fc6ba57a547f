/// A published or exposed container port (`ports:` in long syntax).
public struct PortMapping: Sendable, Hashable, Codable {
    /// The port inside the container.
    public var target: UInt16
    /// The host port or range to publish on; nil means "not published" (or an engine-chosen port).
    public var published: PortRange?
    /// The host address to bind; nil means all addresses.
    public var hostIP: String?
    /// The transport protocol.
    public var `protocol`: PortProtocol
    /// `ingress` (the default) or `host`; kept for Compose compatibility.
    public var mode: PortMode
    /// A human-readable name for the port.
    public var name: String?
    /// The application protocol (`http`, `grpc` …), informational.
    public var appProtocol: String?

    public init(
        target: UInt16, published: PortRange? = nil, hostIP: String? = nil, protocol: PortProtocol = .tcp,
        mode: PortMode = .ingress, name: String? = nil, appProtocol: String? = nil
    ) {
        self.target = target
        self.published = published
        self.hostIP = hostIP
        self.protocol = `protocol`
        self.mode = mode
        self.name = name
        self.appProtocol = appProtocol
    }

    enum CodingKeys: String, CodingKey {
        case target, published, mode, name
        case hostIP = "host_ip"
        case `protocol`
        case appProtocol = "app_protocol"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        target = try c.decode(UInt16.self, forKey: .target)
        published = try c.optional(.published)
        if published?.isEmpty == true { published = nil }
        hostIP = try c.optional(.hostIP)
        if hostIP == "" { hostIP = nil }
        `protocol` = try c.value(.protocol, or: .tcp)
        mode = try c.value(.mode, or: .ingress)
        name = try c.optional(.name)
        appProtocol = try c.optional(.appProtocol)
    }
}

/// A transport protocol for ports.
public enum PortProtocol: String, StackFileEnum {
    case tcp, udp, sctp
}

/// How a port is published (a Swarm distinction; `ingress` is the default).
public enum PortMode: String, StackFileEnum {
    case ingress, host
}

/// A host port or an inclusive range of host ports, written `"8080"` or `"8080-8090"`.
///
/// The empty range (`start == 0 && end == 0`) stands for "not set" while decoding.
public struct PortRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public var start: UInt16
    public var end: UInt16

    public init(_ port: UInt16) {
        start = port
        end = port
    }

    public init?(start: UInt16, end: UInt16) {
        guard start <= end else { return nil }
        self.start = start
        self.end = end
    }

    /// Parses `"8080"` or `"8080-8090"`; nil when malformed or reversed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let start = UInt16(first) else { return nil }
        if parts.count == 2 {
            guard let end = UInt16(parts[1]) else { return nil }
            self.init(start: start, end: end)
        } else {
            self.init(start)
        }
    }

    /// True for a single port.
    public var isSinglePort: Bool { start == end }
    var isEmpty: Bool { start == 0 && end == 0 }
    /// The number of ports in the range.
    public var count: Int { Int(end) - Int(start) + 1 }

    public var description: String { isSinglePort ? "\(start)" : "\(start)-\(end)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if text.isEmpty {
            self.init(0)
            return
        }
        guard let range = PortRange(parsing: text) else {
            throw container.invalid("invalid published port \"\(text)\"; expected a port or a range like \"8000-8010\"")
        }
        self = range
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
