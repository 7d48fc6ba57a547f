import StackCore

/// A network's validated IPv4 addressing: subnet, gateway and the optional range containers' addresses
/// are allocated from (`--subnet`, `--gateway`, `--ip-range`).
public struct SubnetPlan: Sendable, Hashable {
    public var subnet: CIDR
    public var gateway: IPAddress
    public var ipRange: CIDR?

    /// Validates (gateway and range inside subnet, v4 only for now), default gateway = first host.
    ///
    /// Errors (`.invalidArgument`, or `.unsupported` for IPv6) follow Docker's: a subnet with host bits set
    /// names the canonical form; a gateway or range outside the subnet names both.
    public init(subnet: CIDR, gateway: IPAddress?, ipRange: CIDR?) throws(StackError) {
        guard subnet.isIPv4 else {
            throw StackError(.unsupported, "IPv6 subnets are not supported yet: \(subnet)")
        }
        guard subnet.isCanonical else {
            throw StackError(.invalidArgument, "invalid subnet \(subnet): it should be \(subnet.canonical)")
        }
        guard subnet.prefixLength <= AddressPool.longestSize else {
            throw StackError(
                .invalidArgument,
                "invalid subnet \(subnet): a bridge network needs at least a /\(AddressPool.longestSize)")
        }
        if let ipRange {
            guard ipRange.isIPv4 else { throw StackError(.unsupported, "IPv6 ranges are not supported yet: \(ipRange)") }
            guard ipRange.isCanonical else {
                throw StackError(.invalidArgument, "invalid ip range \(ipRange): it should be \(ipRange.canonical)")
            }
            guard subnet.contains(ipRange) else {
                throw StackError(.invalidArgument, "ip range \(ipRange) is not inside subnet \(subnet)")
            }
        }
        let chosen: IPAddress
        if let gateway {
            guard gateway.isIPv4, subnet.contains(gateway) else {
                throw StackError(.invalidArgument, "gateway \(gateway) is not inside subnet \(subnet)")
            }
            guard gateway != subnet.network, gateway != subnet.broadcast else {
                throw StackError(
                    .invalidArgument, "gateway \(gateway) is the network or broadcast address of subnet \(subnet)")
            }
            chosen = gateway
        } else {
            chosen = subnet.address(at: 1) ?? subnet.network
        }
        self.subnet = subnet
        self.gateway = chosen
        self.ipRange = ipRange
    }

    /// The gateway with the subnet's prefix, as the bridge carries it: `172.18.0.1/16`.
    public var gatewayCIDR: CIDR {
        CIDR(address: gateway, prefixLength: subnet.prefixLength) ?? subnet
    }

    /// The address with the subnet's prefix, as an interface carries it: `172.18.0.5/16`.
    public func interfaceCIDR(_ address: IPAddress) -> CIDR {
        CIDR(address: address, prefixLength: subnet.prefixLength) ?? subnet
    }
}
