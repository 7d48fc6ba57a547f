/// How a service attaches to one network (a value of the service's `networks:` mapping).
public struct ServiceNetwork: Sendable, Hashable, Codable {
    /// Extra DNS names of the service's containers on this network.
    public var aliases: [String]
    public var ipv4Address: String?
    public var ipv6Address: String?
    public var linkLocalIPs: [String]
    public var macAddress: String?
    /// Attach order: higher priority networks are connected first.
    public var priority: Int
    /// Which network provides the default gateway: the highest `gw_priority` wins.
    public var gatewayPriority: Int
    public var driverOpts: [String: String]

    public init(
        aliases: [String] = [], ipv4Address: String? = nil, ipv6Address: String? = nil, linkLocalIPs: [String] = [],
        macAddress: String? = nil, priority: Int = 0, gatewayPriority: Int = 0, driverOpts: [String: String] = [:]
    ) {
        self.aliases = aliases
        self.ipv4Address = ipv4Address
        self.ipv6Address = ipv6Address
        self.linkLocalIPs = linkLocalIPs
        self.macAddress = macAddress
        self.priority = priority
        self.gatewayPriority = gatewayPriority
        self.driverOpts = driverOpts
    }

    enum CodingKeys: String, CodingKey {
        case aliases, priority
        case ipv4Address = "ipv4_address"
        case ipv6Address = "ipv6_address"
        case linkLocalIPs = "link_local_ips"
        case macAddress = "mac_address"
        case gatewayPriority = "gw_priority"
        case driverOpts = "driver_opts"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        aliases = try c.value(.aliases, or: [])
        ipv4Address = try c.optional(.ipv4Address)
        ipv6Address = try c.optional(.ipv6Address)
        linkLocalIPs = try c.value(.linkLocalIPs, or: [])
        macAddress = try c.optional(.macAddress)
        priority = try c.value(.priority, or: 0)
        gatewayPriority = try c.value(.gatewayPriority, or: 0)
        driverOpts = try c.stringMap(.driverOpts)
    }
}
