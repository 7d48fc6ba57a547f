/// A container's settings on one network: what a create or connect request asks for (`IPAMConfig`,
/// `Aliases`), and, in inspect output, what it got (`IPAddress`, `Gateway`, `MacAddress`, …).
public struct EndpointSettings: Codable, Sendable, Hashable {
    /// The static address asked for (`--ip`), or nil.
    public var ipamConfig: EndpointIPAMConfig?
    /// Legacy links (`container:alias`); nil as Docker prints when none.
    public var links: [String]?
    /// Extra DNS names on this network; nil as Docker prints when none.
    public var aliases: [String]?
    public var networkID: String
    public var endpointID: String
    public var gateway: String
    /// Without prefix: `172.18.0.2`.
    public var ipAddress: String
    public var ipPrefixLen: Int
    public var ipv6Gateway: String
    public var globalIPv6Address: String
    public var globalIPv6PrefixLen: Int
    public var macAddress: String
    /// The names the embedded DNS answers for the container on this network (nil on the default bridge).
    public var dnsNames: [String]?

    public init(
        ipamConfig: EndpointIPAMConfig? = nil, links: [String]? = nil, aliases: [String]? = nil, networkID: String = "",
        endpointID: String = "", gateway: String = "", ipAddress: String = "", ipPrefixLen: Int = 0,
        ipv6Gateway: String = "", globalIPv6Address: String = "", globalIPv6PrefixLen: Int = 0,
        macAddress: String = "", dnsNames: [String]? = nil
    ) {
        self.ipamConfig = ipamConfig
        self.links = links
        self.aliases = aliases
        self.networkID = networkID
        self.endpointID = endpointID
        self.gateway = gateway
        self.ipAddress = ipAddress
        self.ipPrefixLen = ipPrefixLen
        self.ipv6Gateway = ipv6Gateway
        self.globalIPv6Address = globalIPv6Address
        self.globalIPv6PrefixLen = globalIPv6PrefixLen
        self.macAddress = macAddress
        self.dnsNames = dnsNames
    }

    enum CodingKeys: String, CodingKey {
        case ipamConfig = "IPAMConfig", links = "Links", aliases = "Aliases", networkID = "NetworkID"
        case endpointID = "EndpointID", gateway = "Gateway", ipAddress = "IPAddress", ipPrefixLen = "IPPrefixLen"
        case ipv6Gateway = "IPv6Gateway", globalIPv6Address = "GlobalIPv6Address"
        case globalIPv6PrefixLen = "GlobalIPv6PrefixLen", macAddress = "MacAddress", dnsNames = "DNSNames"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ipamConfig = try c.decodeIfPresent(EndpointIPAMConfig.self, forKey: .ipamConfig)
        links = try c.decodeIfPresent([String].self, forKey: .links)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases)
        networkID = try c.decodeIfPresent(String.self, forKey: .networkID) ?? ""
        endpointID = try c.decodeIfPresent(String.self, forKey: .endpointID) ?? ""
        gateway = try c.decodeIfPresent(String.self, forKey: .gateway) ?? ""
        ipAddress = try c.decodeIfPresent(String.self, forKey: .ipAddress) ?? ""
        ipPrefixLen = try c.decodeIfPresent(Int.self, forKey: .ipPrefixLen) ?? 0
        ipv6Gateway = try c.decodeIfPresent(String.self, forKey: .ipv6Gateway) ?? ""
        globalIPv6Address = try c.decodeIfPresent(String.self, forKey: .globalIPv6Address) ?? ""
        globalIPv6PrefixLen = try c.decodeIfPresent(Int.self, forKey: .globalIPv6PrefixLen) ?? 0
        macAddress = try c.decodeIfPresent(String.self, forKey: .macAddress) ?? ""
        dnsNames = try c.decodeIfPresent([String].self, forKey: .dnsNames)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // Docker prints `"IPAMConfig": null`, `"Links": null`, … for unset values.
        try c.encode(ipamConfig, forKey: .ipamConfig)
        try c.encode(links, forKey: .links)
        try c.encode(aliases, forKey: .aliases)
        try c.encode(networkID, forKey: .networkID)
        try c.encode(endpointID, forKey: .endpointID)
        try c.encode(gateway, forKey: .gateway)
        try c.encode(ipAddress, forKey: .ipAddress)
        try c.encode(ipPrefixLen, forKey: .ipPrefixLen)
        try c.encode(ipv6Gateway, forKey: .ipv6Gateway)
        try c.encode(globalIPv6Address, forKey: .globalIPv6Address)
        try c.encode(globalIPv6PrefixLen, forKey: .globalIPv6PrefixLen)
        try c.encode(macAddress, forKey: .macAddress)
        try c.encode(dnsNames, forKey: .dnsNames)
    }
}

/// `EndpointSettings.IPAMConfig`: the static addresses asked for (`--ip`, `--ip6`); empty ones are left out.
public struct EndpointIPAMConfig: Codable, Sendable, Hashable {
    public var ipv4Address: String
    public var ipv6Address: String

    public init(ipv4Address: String = "", ipv6Address: String = "") {
        self.ipv4Address = ipv4Address
        self.ipv6Address = ipv6Address
    }

    enum CodingKeys: String, CodingKey { case ipv4Address = "IPv4Address", ipv6Address = "IPv6Address" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ipv4Address = try c.decodeIfPresent(String.self, forKey: .ipv4Address) ?? ""
        ipv6Address = try c.decodeIfPresent(String.self, forKey: .ipv6Address) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !ipv4Address.isEmpty { try c.encode(ipv4Address, forKey: .ipv4Address) }
        if !ipv6Address.isEmpty { try c.encode(ipv6Address, forKey: .ipv6Address) }
    }
}

/// `NetworkingConfig` of a create request: the networks to attach at create time, by network name or id.
public struct NetworkingConfig: Codable, Sendable, Hashable {
    public var endpointsConfig: [String: EndpointSettings]

    public init(endpointsConfig: [String: EndpointSettings] = [:]) {
        self.endpointsConfig = endpointsConfig
    }

    enum CodingKeys: String, CodingKey { case endpointsConfig = "EndpointsConfig" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        endpointsConfig = try c.decodeIfPresent([String: EndpointSettings].self, forKey: .endpointsConfig) ?? [:]
    }
}
