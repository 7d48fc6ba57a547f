/// The body of `POST /networks/create`, in the Docker Engine API's shape.
///
/// Missing keys (or `null`) decode to the defaults shown here; an empty `driver` means `bridge`.
public struct NetworkCreateRequest: Codable, Sendable, Hashable {
    public var name: String
    public var driver: String
    /// No default route, no NAT: containers reach only each other.
    public var `internal`: Bool
    public var attachable: Bool
    public var enableIPv6: Bool
    /// Subnet, gateway and range; nil lets the engine pick a subnet from its pools.
    public var ipam: NetworkIPAM?
    /// Driver options (`-o com.docker.network.bridge.name=br0`).
    public var options: [String: String]
    public var labels: [String: String]
    /// Deprecated in Docker (names are always checked); accepted and ignored.
    public var checkDuplicate: Bool

    public init(
        name: String, driver: String = "bridge", internal: Bool = false, attachable: Bool = false,
        enableIPv6: Bool = false, ipam: NetworkIPAM? = nil, options: [String: String] = [:],
        labels: [String: String] = [:], checkDuplicate: Bool = false
    ) {
        self.name = name
        self.driver = driver
        self.internal = `internal`
        self.attachable = attachable
        self.enableIPv6 = enableIPv6
        self.ipam = ipam
        self.options = options
        self.labels = labels
        self.checkDuplicate = checkDuplicate
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", driver = "Driver", `internal` = "Internal", attachable = "Attachable"
        case enableIPv6 = "EnableIPv6", ipam = "IPAM", options = "Options", labels = "Labels"
        case checkDuplicate = "CheckDuplicate"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        driver = try c.decodeIfPresent(String.self, forKey: .driver) ?? ""
        `internal` = try c.decodeIfPresent(Bool.self, forKey: .internal) ?? false
        attachable = try c.decodeIfPresent(Bool.self, forKey: .attachable) ?? false
        enableIPv6 = try c.decodeIfPresent(Bool.self, forKey: .enableIPv6) ?? false
        ipam = try c.decodeIfPresent(NetworkIPAM.self, forKey: .ipam)
        options = try c.decodeIfPresent([String: String].self, forKey: .options) ?? [:]
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        checkDuplicate = try c.decodeIfPresent(Bool.self, forKey: .checkDuplicate) ?? false
    }
}

/// A network's `IPAM` section (create request and inspect): driver, address configs, options.
public struct NetworkIPAM: Codable, Sendable, Hashable {
    /// `default` (the only one).
    public var driver: String
    /// One entry per subnet (only one IPv4 subnet for now).
    public var config: [NetworkIPAMConfig]
    public var options: [String: String]

    public init(driver: String = "default", config: [NetworkIPAMConfig] = [], options: [String: String] = [:]) {
        self.driver = driver
        self.config = config
        self.options = options
    }

    enum CodingKeys: String, CodingKey { case driver = "Driver", options = "Options", config = "Config" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        driver = try c.decodeIfPresent(String.self, forKey: .driver) ?? "default"
        config = try c.decodeIfPresent([NetworkIPAMConfig].self, forKey: .config) ?? []
        options = try c.decodeIfPresent([String: String].self, forKey: .options) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(driver, forKey: .driver)
        try c.encode(options, forKey: .options)
        try c.encode(config, forKey: .config)
    }
}

/// One `IPAM.Config` entry: `{"Subnet": "172.18.0.0/16", "Gateway": "172.18.0.1"}`; empty values are left out
/// (Docker's `omitempty`).
public struct NetworkIPAMConfig: Codable, Sendable, Hashable {
    /// CIDR.
    public var subnet: String
    /// CIDR inside the subnet.
    public var ipRange: String
    /// Address without prefix.
    public var gateway: String
    /// Host name → address reserved in the subnet.
    public var auxiliaryAddresses: [String: String]

    public init(subnet: String = "", ipRange: String = "", gateway: String = "", auxiliaryAddresses: [String: String] = [:]) {
        self.subnet = subnet
        self.ipRange = ipRange
        self.gateway = gateway
        self.auxiliaryAddresses = auxiliaryAddresses
    }

    enum CodingKeys: String, CodingKey {
        case subnet = "Subnet", ipRange = "IPRange", gateway = "Gateway", auxiliaryAddresses = "AuxiliaryAddresses"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        subnet = try c.decodeIfPresent(String.self, forKey: .subnet) ?? ""
        ipRange = try c.decodeIfPresent(String.self, forKey: .ipRange) ?? ""
        gateway = try c.decodeIfPresent(String.self, forKey: .gateway) ?? ""
        auxiliaryAddresses = try c.decodeIfPresent([String: String].self, forKey: .auxiliaryAddresses) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !subnet.isEmpty { try c.encode(subnet, forKey: .subnet) }
        if !ipRange.isEmpty { try c.encode(ipRange, forKey: .ipRange) }
        if !gateway.isEmpty { try c.encode(gateway, forKey: .gateway) }
        if !auxiliaryAddresses.isEmpty { try c.encode(auxiliaryAddresses, forKey: .auxiliaryAddresses) }
    }
}
