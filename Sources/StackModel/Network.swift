/// A network of the project (top-level `networks:`).
public struct Network: Sendable, Hashable, Codable {
    /// The key under `networks:`, which services use to refer to it.
    public var key: String
    /// The real name on the engine, e.g. `myproject_default` (after name resolution).
    public var name: String
    public var driver: String?
    public var driverOpts: [String: String]
    public var ipam: IPAMConfig?
    /// No route to the outside.
    public var `internal`: Bool
    /// Created outside the project: never created or removed by it.
    public var external: Bool
    public var labels: [String: String]
    public var attachable: Bool
    public var enableIPv4: Bool?
    public var enableIPv6: Bool?

    public init(
        key: String, name: String, driver: String? = nil, driverOpts: [String: String] = [:], ipam: IPAMConfig? = nil,
        internal: Bool = false, external: Bool = false, labels: [String: String] = [:], attachable: Bool = false,
        enableIPv4: Bool? = nil, enableIPv6: Bool? = nil
    ) {
        self.key = key
        self.name = name
        self.driver = driver
        self.driverOpts = driverOpts
        self.ipam = ipam
        self.internal = `internal`
        self.external = external
        self.labels = labels
        self.attachable = attachable
        self.enableIPv4 = enableIPv4
        self.enableIPv6 = enableIPv6
    }

    enum CodingKeys: String, CodingKey {
        case name, driver, ipam, `internal`, external, labels, attachable
        case driverOpts = "driver_opts"
        case enableIPv4 = "enable_ipv4"
        case enableIPv6 = "enable_ipv6"
    }

    /// Decodes a network definition; `key` is the last key of the coding path. An absent `name`
    /// decodes as empty, to be resolved by `Project.resolveResourceNames()`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: decoder.codingPath.last?.stringValue ?? "", name: try c.value(.name, or: ""),
            driver: try c.optional(.driver), driverOpts: try c.stringMap(.driverOpts), ipam: try c.optional(.ipam),
            internal: try c.value(.internal, or: false), external: try c.externalFlag(.external),
            labels: try c.stringMap(.labels), attachable: try c.value(.attachable, or: false),
            enableIPv4: try c.optional(.enableIPv4), enableIPv6: try c.optional(.enableIPv6))
    }
}

/// IP address management of a network.
public struct IPAMConfig: Sendable, Hashable, Codable {
    public var driver: String?
    public var config: [IPAMPool]
    public var options: [String: String]

    public init(driver: String? = nil, config: [IPAMPool] = [], options: [String: String] = [:]) {
        self.driver = driver
        self.config = config
        self.options = options
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        driver = try c.optional(.driver)
        config = try c.value(.config, or: [])
        options = try c.stringMap(.options)
    }
}

/// One address pool of a network.
public struct IPAMPool: Sendable, Hashable, Codable {
    /// CIDR, e.g. `172.28.0.0/16`.
    public var subnet: String?
    public var ipRange: String?
    public var gateway: String?
    /// Host name to address reservations.
    public var auxAddresses: [String: String]

    public init(subnet: String? = nil, ipRange: String? = nil, gateway: String? = nil, auxAddresses: [String: String] = [:]) {
        self.subnet = subnet
        self.ipRange = ipRange
        self.gateway = gateway
        self.auxAddresses = auxAddresses
    }

    enum CodingKeys: String, CodingKey {
        case subnet, gateway
        case ipRange = "ip_range"
        case auxAddresses = "aux_addresses"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        subnet = try c.optional(.subnet)
        ipRange = try c.optional(.ipRange)
        gateway = try c.optional(.gateway)
        auxAddresses = try c.stringMap(.auxAddresses)
    }
}

extension KeyedDecodingContainer {
    /// `external: true`, or the legacy `external: {name: x}` form (true; the name is read separately).
    func externalFlag(_ key: Key) throws -> Bool {
        guard contains(key), try !decodeNil(forKey: key) else { return false }
        if let flag = try? decode(Bool.self, forKey: key) { return flag }
        _ = try nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)
        return true
    }
}
