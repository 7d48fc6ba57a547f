/// One row of `endpoints`: a container's attachment to a network (its interface and address there).
///
/// A container has at most one endpoint per network, and an address is used by at most one endpoint of a
/// network. Deleting the container's record deletes its endpoints (foreign key `ON DELETE CASCADE`).
public struct EndpointRecord: Sendable, Hashable {
    /// 64 lowercase hex characters.
    public var id: String
    public var networkID: String
    public var containerID: String
    /// The IPv4 address without a prefix (`172.18.0.2`).
    public var address: String
    /// `02:42:ac:12:00:02`.
    public var macAddress: String
    /// Extra DNS names on this network (`--alias`, Compose service names).
    public var aliases: [String]
    /// True when the user asked for the address (`--ip`); false when IPAM chose it.
    public var staticAddress: Bool
    /// The interface inside the container (`eth0`, `eth1`, … in connect order); unique per container.
    public var interfaceName: String
    /// RFC 3339 with nanoseconds, UTC.
    public var createdAt: String

    /// Creates a record.
    public init(
        id: String, networkID: String, containerID: String, address: String, macAddress: String,
        aliases: [String] = [], staticAddress: Bool = false, interfaceName: String, createdAt: String
    ) {
        self.id = id
        self.networkID = networkID
        self.containerID = containerID
        self.address = address
        self.macAddress = macAddress
        self.aliases = aliases
        self.staticAddress = staticAddress
        self.interfaceName = interfaceName
        self.createdAt = createdAt
    }
}
