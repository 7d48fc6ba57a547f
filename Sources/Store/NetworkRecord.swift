/// One row of `networks`: a user-defined (or the default) bridge network.
///
/// Addresses are stored as text (`172.18.0.0/16`, `172.18.0.1`); the engine parses them with `IPAM`.
public struct NetworkRecord: Sendable, Hashable {
    /// 64 lowercase hex characters.
    public var id: String
    /// Unique among networks.
    public var name: String
    /// Only `bridge` for now.
    public var driver: String
    /// Always `local`.
    public var scope: String
    /// The IPv4 subnet, canonical CIDR text (`172.18.0.0/16`).
    public var subnet: String
    /// The gateway address without a prefix (`172.18.0.1`): the bridge's address.
    public var gateway: String
    /// The range containers' addresses are allocated from (CIDR text), when narrower than the subnet.
    public var ipRange: String?
    /// No default route, no NAT, no traffic off the bridge.
    public var `internal`: Bool
    /// The bridge device's name (`stack0`, `stack-1a2b3c4d`); unique among networks.
    public var bridge: String
    public var labels: [String: String]
    /// Driver options (`com.docker.network.bridge.name`, …).
    public var options: [String: String]
    /// RFC 3339 with nanoseconds, UTC.
    public var createdAt: String
    /// True for the engine's default `bridge` network.
    public var isDefault: Bool

    /// Creates a record.
    public init(
        id: String, name: String, driver: String = "bridge", scope: String = "local", subnet: String,
        gateway: String, ipRange: String? = nil, internal: Bool = false, bridge: String,
        labels: [String: String] = [:], options: [String: String] = [:], createdAt: String, isDefault: Bool = false
    ) {
        self.id = id
        self.name = name
        self.driver = driver
        self.scope = scope
        self.subnet = subnet
        self.gateway = gateway
        self.ipRange = ipRange
        self.internal = `internal`
        self.bridge = bridge
        self.labels = labels
        self.options = options
        self.createdAt = createdAt
        self.isDefault = isDefault
    }

    /// The first 12 characters of the id, as `docker network ls` shows it.
    public var shortID: String { String(id.prefix(12)) }
}
