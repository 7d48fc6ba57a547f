import DNSServer
import IPAM
import StackCore

/// How stackd names and numbers what it creates in the kernel, and where its DNS forwards: from
/// `STACK_NETWORK_PREFIX`, `STACK_ADDRESS_POOLS` and `STACK_DNS_UPSTREAM` (tests set their own).
public struct NetworkConfig: Sendable, Hashable {
    /// The first characters of every bridge and host-side veth name, and the nftables table's name.
    public var prefix: String
    /// Where subnets of networks created without `--subnet` (and the default bridge's) come from.
    public var pools: [AddressPool]
    /// Where DNS forwards names outside our scope: `STACK_DNS_UPSTREAM`, else the host's resolvers.
    public var upstreams: [DNSUpstream]

    public init(prefix: String = "stack", pools: [AddressPool] = AddressPool.defaults, upstreams: [DNSUpstream] = []) {
        self.prefix = prefix
        self.pools = pools
        self.upstreams = upstreams
    }

    /// The settings in `environment`; bad values are errors naming the variable.
    public static func from(environment: [String: String]) throws(StackError) -> NetworkConfig {
        var config = NetworkConfig()
        if let prefix = environment["STACK_NETWORK_PREFIX"], !prefix.isEmpty {
            guard (1...6).contains(prefix.count),
                prefix.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) })
            else {
                throw StackError(.invalidArgument, "STACK_NETWORK_PREFIX=\(prefix): use 1 to 6 characters a-z, 0-9")
            }
            config.prefix = prefix
        }
        if let pools = environment["STACK_ADDRESS_POOLS"], !pools.isEmpty {
            do {
                config.pools = try AddressPool.parseList(pools)
            } catch {
                throw StackError(.invalidArgument, "STACK_ADDRESS_POOLS=\(pools): \(error.message)")
            }
        }
        do {
            config.upstreams = try DNSUpstream.configured(setting: environment["STACK_DNS_UPSTREAM"])
        } catch {
            throw StackError(.invalidArgument, "STACK_DNS_UPSTREAM: \(error.message)")
        }
        return config
    }

    /// The default bridge's device (`stack0`, as docker0).
    public var defaultBridge: String { prefix + "0" }

    /// A user network's bridge device: the prefix, a dash, the start of its id (15 characters).
    public func bridgeName(networkID: String) -> String {
        prefix + "-" + String(networkID.prefix(14 - prefix.count))
    }

    /// The host end of an endpoint's veth pair: the prefix, `v`, the start of the endpoint id.
    public func hostInterface(endpointID: String) -> String {
        prefix + "v" + String(endpointID.prefix(14 - prefix.count))
    }

    /// The nftables table (family ip).
    public var table: String { prefix }
}
