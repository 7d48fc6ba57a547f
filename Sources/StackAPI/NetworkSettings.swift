/// `NetworkSettings` of an inspected container: its published ports and its endpoint on each network.
///
/// The top-level `IPAddress`, `Gateway`, … describe the endpoint on the default `bridge` network (empty
/// otherwise), as Docker's deprecated fields do.
public struct NetworkSettings: Codable, Sendable, Hashable {
    /// Docker's bridge name field (empty).
    public var bridge: String
    public var sandboxID: String
    /// The container's network namespace path.
    public var sandboxKey: String
    /// `"80/tcp"` → host bindings; nil for a port exposed but not published (`"80/tcp": null`).
    public var ports: [String: [PortBinding]?]
    public var endpointID: String
    public var gateway: String
    public var ipAddress: String
    public var ipPrefixLen: Int
    public var macAddress: String
    /// Network name → the container's endpoint there.
    public var networks: [String: EndpointSettings]

    public init(
        bridge: String = "", sandboxID: String = "", sandboxKey: String = "", ports: [String: [PortBinding]?] = [:],
        endpointID: String = "", gateway: String = "", ipAddress: String = "", ipPrefixLen: Int = 0,
        macAddress: String = "", networks: [String: EndpointSettings] = [:]
    ) {
        self.bridge = bridge
        self.sandboxID = sandboxID
        self.sandboxKey = sandboxKey
        self.ports = ports
        self.endpointID = endpointID
        self.gateway = gateway
        self.ipAddress = ipAddress
        self.ipPrefixLen = ipPrefixLen
        self.macAddress = macAddress
        self.networks = networks
    }

    enum CodingKeys: String, CodingKey {
        case bridge = "Bridge", sandboxID = "SandboxID", sandboxKey = "SandboxKey", ports = "Ports"
        case endpointID = "EndpointID", gateway = "Gateway", ipAddress = "IPAddress", ipPrefixLen = "IPPrefixLen"
        case macAddress = "MacAddress", networks = "Networks"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bridge = try c.decodeIfPresent(String.self, forKey: .bridge) ?? ""
        sandboxID = try c.decodeIfPresent(String.self, forKey: .sandboxID) ?? ""
        sandboxKey = try c.decodeIfPresent(String.self, forKey: .sandboxKey) ?? ""
        ports = try c.decodeIfPresent([String: [PortBinding]?].self, forKey: .ports) ?? [:]
        endpointID = try c.decodeIfPresent(String.self, forKey: .endpointID) ?? ""
        gateway = try c.decodeIfPresent(String.self, forKey: .gateway) ?? ""
        ipAddress = try c.decodeIfPresent(String.self, forKey: .ipAddress) ?? ""
        ipPrefixLen = try c.decodeIfPresent(Int.self, forKey: .ipPrefixLen) ?? 0
        macAddress = try c.decodeIfPresent(String.self, forKey: .macAddress) ?? ""
        networks = try c.decodeIfPresent([String: EndpointSettings].self, forKey: .networks) ?? [:]
    }
}
