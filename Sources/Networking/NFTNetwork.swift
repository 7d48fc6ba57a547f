import StackCore

/// A bridge network as the nftables table sees it.
public struct NFTNetwork: Sendable, Hashable {
    /// The bridge device, e.g. `stack0`.
    public var bridge: String
    /// The network's IPv4 subnet (host bits are ignored).
    public var subnet: CIDR
    /// Internal networks get no masquerading and no traffic in or out of their bridge.
    public var `internal`: Bool

    public init(bridge: String, subnet: CIDR, internal: Bool) {
        self.bridge = bridge
        self.subnet = subnet
        self.internal = `internal`
    }
}

/// A published port: traffic to the host's `hostPort` (on `hostIP`, or on any local address)
/// is sent to `containerIP:containerPort`.
public struct NFTPortMapping: Sendable, Hashable {
    /// `tcp`, `udp` or `sctp`.
    public var proto: String
    /// The host address the port is published on; nil (or 0.0.0.0) for every local address.
    public var hostIP: IPAddress?
    public var hostPort: UInt16
    public var containerIP: IPAddress
    public var containerPort: UInt16
    /// The bridge the container is reached through.
    public var bridge: String

    public init(proto: String, hostIP: IPAddress?, hostPort: UInt16, containerIP: IPAddress, containerPort: UInt16,
                bridge: String) {
        self.proto = proto
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerIP = containerIP
        self.containerPort = containerPort
        self.bridge = bridge
    }
}
