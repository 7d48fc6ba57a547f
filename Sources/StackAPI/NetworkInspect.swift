/// A network as `GET /networks/{id}` (and each element of `GET /networks`) describes it: the element of
/// `docker network inspect`'s array, key for key.
public struct NetworkInspect: Codable, Sendable, Hashable {
    public var name: String
    /// 64 hex characters.
    public var id: String
    /// RFC 3339 with nanoseconds.
    public var created: String
    /// `local`.
    public var scope: String
    /// `bridge`.
    public var driver: String
    public var enableIPv6: Bool
    public var ipam: NetworkIPAM
    public var `internal`: Bool
    public var attachable: Bool
    public var ingress: Bool
    public var configFrom: ConfigReference
    public var configOnly: Bool
    /// Container id → its endpoint on this network.
    public var containers: [String: NetworkContainer]
    public var options: [String: String]
    public var labels: [String: String]

    /// `ConfigFrom`: the config-only network this one was created from (always empty here).
    public struct ConfigReference: Codable, Sendable, Hashable {
        public var network: String

        public init(network: String = "") { self.network = network }

        enum CodingKeys: String, CodingKey { case network = "Network" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            network = try c.decodeIfPresent(String.self, forKey: .network) ?? ""
        }
    }

    public init(
        name: String, id: String, created: String, scope: String = "local", driver: String = "bridge",
        enableIPv6: Bool = false, ipam: NetworkIPAM = NetworkIPAM(), internal: Bool = false, attachable: Bool = false,
        ingress: Bool = false, configFrom: ConfigReference = ConfigReference(), configOnly: Bool = false,
        containers: [String: NetworkContainer] = [:], options: [String: String] = [:], labels: [String: String] = [:]
    ) {
        self.name = name
        self.id = id
        self.created = created
        self.scope = scope
        self.driver = driver
        self.enableIPv6 = enableIPv6
        self.ipam = ipam
        self.internal = `internal`
        self.attachable = attachable
        self.ingress = ingress
        self.configFrom = configFrom
        self.configOnly = configOnly
        self.containers = containers
        self.options = options
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", id = "Id", created = "Created", scope = "Scope", driver = "Driver"
        case enableIPv6 = "EnableIPv6", ipam = "IPAM", `internal` = "Internal", attachable = "Attachable"
        case ingress = "Ingress", configFrom = "ConfigFrom", configOnly = "ConfigOnly", containers = "Containers"
        case options = "Options", labels = "Labels"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        created = try c.decodeIfPresent(String.self, forKey: .created) ?? ""
        scope = try c.decodeIfPresent(String.self, forKey: .scope) ?? "local"
        driver = try c.decodeIfPresent(String.self, forKey: .driver) ?? "bridge"
        enableIPv6 = try c.decodeIfPresent(Bool.self, forKey: .enableIPv6) ?? false
        ipam = try c.decodeIfPresent(NetworkIPAM.self, forKey: .ipam) ?? NetworkIPAM()
        `internal` = try c.decodeIfPresent(Bool.self, forKey: .internal) ?? false
        attachable = try c.decodeIfPresent(Bool.self, forKey: .attachable) ?? false
        ingress = try c.decodeIfPresent(Bool.self, forKey: .ingress) ?? false
        configFrom = try c.decodeIfPresent(ConfigReference.self, forKey: .configFrom) ?? ConfigReference()
        configOnly = try c.decodeIfPresent(Bool.self, forKey: .configOnly) ?? false
        containers = try c.decodeIfPresent([String: NetworkContainer].self, forKey: .containers) ?? [:]
        options = try c.decodeIfPresent([String: String].self, forKey: .options) ?? [:]
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    }
}

/// One entry of `NetworkInspect.Containers`: a container's endpoint as the network sees it.
public struct NetworkContainer: Codable, Sendable, Hashable {
    /// Without Docker's leading `/`.
    public var name: String
    public var endpointID: String
    public var macAddress: String
    /// With prefix: `172.18.0.2/16`.
    public var ipv4Address: String
    /// With prefix, or empty.
    public var ipv6Address: String

    public init(name: String, endpointID: String, macAddress: String, ipv4Address: String, ipv6Address: String = "") {
        self.name = name
        self.endpointID = endpointID
        self.macAddress = macAddress
        self.ipv4Address = ipv4Address
        self.ipv6Address = ipv6Address
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", endpointID = "EndpointID", macAddress = "MacAddress", ipv4Address = "IPv4Address"
        case ipv6Address = "IPv6Address"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        endpointID = try c.decodeIfPresent(String.self, forKey: .endpointID) ?? ""
        macAddress = try c.decodeIfPresent(String.self, forKey: .macAddress) ?? ""
        ipv4Address = try c.decodeIfPresent(String.self, forKey: .ipv4Address) ?? ""
        ipv6Address = try c.decodeIfPresent(String.self, forKey: .ipv6Address) ?? ""
    }
}
