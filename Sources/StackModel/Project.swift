/// The desired state of a whole stack: what `up` makes real.
///
/// Services, networks, volumes, secrets and configs are sorted by their key, so two loads of the
/// same files produce equal values and stable output.
public struct Project: Sendable, Hashable, Codable {
    /// The project name (labels, resource name prefixes).
    public var name: String
    /// The directory relative paths were resolved against.
    public var workingDirectory: String
    /// Services, sorted by name.
    public var services: [Service]
    /// Networks, sorted by key.
    public var networks: [Network]
    /// Named volumes, sorted by key.
    public var volumes: [Volume]
    /// Secrets, sorted by key.
    public var secrets: [SecretDefinition]
    /// Configs, sorted by key.
    public var configs: [ConfigDefinition]
    /// The profiles that were active when the project was loaded.
    public var profiles: [String]

    public init(
        name: String, workingDirectory: String, services: [Service] = [], networks: [Network] = [],
        volumes: [Volume] = [], secrets: [SecretDefinition] = [], configs: [ConfigDefinition] = [],
        profiles: [String] = []
    ) {
        self.name = name
        self.workingDirectory = workingDirectory
        self.services = services.sorted { $0.name < $1.name }
        self.networks = networks.sorted { $0.key < $1.key }
        self.volumes = volumes.sorted { $0.key < $1.key }
        self.secrets = secrets.sorted { $0.key < $1.key }
        self.configs = configs.sorted { $0.key < $1.key }
        self.profiles = profiles
    }

    // MARK: Lookup

    /// The service called `name`, if any.
    public func service(named name: String) -> Service? { services.first { $0.name == name } }
    /// The network with key `key`, if any.
    public func network(forKey key: String) -> Network? { networks.first { $0.key == key } }
    /// The volume with key `key`, if any.
    public func volume(forKey key: String) -> Volume? { volumes.first { $0.key == key } }
    /// The names of all services, sorted.
    public var serviceNames: [String] { services.map(\.name) }

    /// Fills in empty real names of networks, volumes, secrets and configs as Compose does:
    /// an external resource keeps its key, others become `<project>_<key>`.
    public mutating func resolveResourceNames() {
        let prefix = name
        func resolve(_ name: inout String, key: String, external: Bool) {
            if name.isEmpty { name = external ? key : "\(prefix)_\(key)" }
        }
        for index in networks.indices {
            resolve(&networks[index].name, key: networks[index].key, external: networks[index].external)
        }
        for index in volumes.indices {
            resolve(&volumes[index].name, key: volumes[index].key, external: volumes[index].external)
        }
        for index in secrets.indices {
            resolve(&secrets[index].name, key: secrets[index].key, external: secrets[index].external)
        }
        for index in configs.indices {
            resolve(&configs[index].name, key: configs[index].key, external: configs[index].external)
        }
    }

    // MARK: Coding

    enum CodingKeys: String, CodingKey {
        case name, services, networks, volumes, secrets, configs, profiles
        case workingDirectory = "working_directory"
    }

    /// Decodes the canonical tree: the collections are mappings keyed by name.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.value(.name, or: ""), workingDirectory: try c.value(.workingDirectory, or: ""),
            services: try Self.decodeMap(c, .services) { service, key in service.name = key },
            networks: try Self.decodeMap(c, .networks) { network, key in network.key = key },
            volumes: try Self.decodeMap(c, .volumes) { volume, key in volume.key = key },
            secrets: try Self.decodeMap(c, .secrets) { secret, key in secret.key = key },
            configs: try Self.decodeMap(c, .configs) { config, key in config.key = key },
            profiles: try c.value(.profiles, or: []))
    }

    /// Decodes a mapping of definitions, setting each one's key; `x-` keys are skipped.
    private static func decodeMap<T: Decodable>(
        _ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, setKey: (inout T, String) -> Void
    ) throws -> [T] {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return [] }
        let map = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)
        var result: [T] = []
        result.reserveCapacity(map.allKeys.count)
        for name in map.allKeys where !name.stringValue.hasPrefix("x-") {
            var value = try map.decode(T.self, forKey: name)
            setKey(&value, name.stringValue)
            result.append(value)
        }
        return result
    }

    /// Encodes the collections as mappings keyed by name, the shape `init(from:)` reads.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(workingDirectory, forKey: .workingDirectory)
        func encodeMap<T: Encodable>(_ items: [T], _ key: CodingKeys, name: (T) -> String) throws {
            guard !items.isEmpty else { return }
            var map = c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)
            for item in items { try map.encode(item, forKey: AnyCodingKey(name(item))) }
        }
        try encodeMap(services, .services) { $0.name }
        try encodeMap(networks, .networks) { $0.key }
        try encodeMap(volumes, .volumes) { $0.key }
        try encodeMap(secrets, .secrets) { $0.key }
        try encodeMap(configs, .configs) { $0.key }
        if !profiles.isEmpty { try c.encode(profiles, forKey: .profiles) }
    }
}
